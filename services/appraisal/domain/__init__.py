"""The appraisal service's pure rules (standard library only): periods, outcomes, scoring,
ranking, accountability and the monthly report's figures."""
