#!/usr/bin/env bash
# Make sure RabbitMQ (and, with --postgres, PostgreSQL) answer on localhost.
# Starts an installed but stopped server; otherwise says how to get one.
set -u
want_pg=0; want_mgmt=0
for a in "$@"; do
  case "$a" in --postgres) want_pg=1 ;; --management) want_mgmt=1 ;; esac
done

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5672; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    echo "RabbitMQ is not running: starting the local rabbitmq-server"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do port_open 5672 && break; sleep 1; done
    rabbitmqctl await_startup >/dev/null 2>&1 || true
  fi
fi
if ! port_open 5672; then
  echo "No RabbitMQ answers on localhost:5672 and none is installed here." >&2
  echo "Start one on this host only, e.g. 'docker run -d -p 127.0.0.1:5672:5672 rabbitmq:3.13', or set AMQP_URI." >&2
  echo "(docker-compose's RabbitMQ does not publish its AMQP port.)" >&2
  exit 1
fi
if [ "$want_mgmt" = 1 ]; then
  if ! port_open 15672 && command -v rabbitmq-plugins >/dev/null 2>&1; then
    rabbitmq-plugins enable rabbitmq_management >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do port_open 15672 && break; sleep 1; done
  fi
  port_open 15672 || { echo "RabbitMQ's management plugin (port 15672) is needed by the tests" >&2; exit 1; }
fi
if [ "$want_pg" = 1 ] && ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "PostgreSQL is not running: starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do port_open 5432 && break; sleep 1; done
  fi
  port_open 5432 || { echo "No PostgreSQL answers on localhost:5432" >&2; exit 1; }
fi
exit 0
