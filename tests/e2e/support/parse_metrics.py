#!/usr/bin/python3
"""Parses a Prometheus text exposition (the file named as the only argument) with the
prometheus_client library's own parser and prints it as JSON, one object per family:
{"name", "type", "help", "samples": [{"name", "labels", "value"}]}. Exit status 1, with the
parser's message on stderr, when the text does not parse. Used by tests/e2e/metrics_test.cpp."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def number(value):
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return value


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    try:
        families = [
            {
                "name": family.name,
                "type": family.type,
                "help": family.documentation,
                "samples": [
                    {"name": s.name, "labels": s.labels, "value": number(s.value)}
                    for s in family.samples
                ],
            }
            for family in text_string_to_metric_families(text)
        ]
    except Exception as error:  # the parser raises ValueError and friends on bad input
        print(f"not a valid exposition: {error!r}", file=sys.stderr)
        return 1
    json.dump(families, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
