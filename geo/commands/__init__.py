"""Commands: one module per ``python -m geo COMMAND`` with ``add_arguments(parser)`` and
``run(args) -> int``; each imports its stage only inside ``run`` so ``--help`` stays fast."""
