-- One database per service: none reads another's tables.
CREATE DATABASE tracking;
CREATE DATABASE intake;
CREATE DATABASE notify;
CREATE DATABASE appraisal;
