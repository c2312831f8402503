"""Container health check: does the service answer `ping` over RPC?"""
import os
import sys

from nameko.standalone.rpc import ClusterRpcProxy


def main(service):
    uri = os.environ.get("AMQP_URI", "amqp://guest:guest@localhost:5672//")
    try:
        with ClusterRpcProxy({"AMQP_URI": uri}, timeout=5) as rpc:
            getattr(rpc, service).ping()
    except Exception as exc:  # any failure means unhealthy
        print("{} unhealthy: {}".format(service, exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
