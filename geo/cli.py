"""``python -m geo COMMAND ...``: one subcommand per module in ``geo/commands``.

Each command module defines ``add_arguments(parser)`` and ``run(args) -> int``, plus a
one-line module docstring used as its help. Errors a user can cause (TalksAtlasError) are
printed as plain messages with exit code 2: never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from geo.core.errors import EXIT_USAGE, TalksAtlasError, describe_os_error, record_crash

COMMANDS = ("venues", "geocode", "meetings", "build", "curation", "evaluate", "brief")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's default is exit code 2 too; keep one voice
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m geo", description="Talks Atlas data pipeline")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"geo.commands.{name}")
        doc = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
        p = sub.add_parser(name, help=doc, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = "python -m geo " + " ".join(sys.argv[1:] if argv is None else argv)
    try:
        return int(args._run(args) or 0)
    except TalksAtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: the reader left; not an error of ours.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:  # a path that cannot be read or written: say which and why
        print(f"error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except RecursionError as exc:
        where = record_crash(exc, command)
        print(f"error: {args.command}: the input is nested too deeply to process (details: {where})", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the one guard for what slips through: never a traceback
        where = record_crash(exc, command)
        print(
            f"error: {args.command} failed unexpectedly ({type(exc).__name__}: {str(exc)[:200]}); "
            f"input: {command[:300]}; the details are in {where}",
            file=sys.stderr,
        )
        return EXIT_USAGE
