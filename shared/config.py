"""Read a service's config.yaml with nameko's ${VAR:default} substitution."""
import yaml
from nameko.cli.main import setup_yaml_parser


def load_config(path):
    setup_yaml_parser()
    with open(path) as stream:
        return yaml.safe_load(stream)
