"""The ``kexie`` command: a thin Click layer over the library, one module per command."""

from __future__ import annotations

import click

from .. import __version__
from . import chinese

chinese.install()  # before the commands below are declared

from .announce import announce  # noqa: E402
from .check import check  # noqa: E402
from .confirm import confirm  # noqa: E402
from .extract import extract  # noqa: E402
from .fill import fill  # noqa: E402
from .notice import notice  # noqa: E402
from .packet import packet  # noqa: E402
from .program import program  # noqa: E402
from .scores import scores  # noqa: E402
from .status import record, status  # noqa: E402
from .validate import validate  # noqa: E402
from .workdays import workdays  # noqa: E402


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", message="kexie %(version)s")
def main():
    """kexie：科协项目申报文书流水线——填写通知、申报书、任务书和公示，读回申报书，形式审查。

    \b
    示例：
      kexie fill 任务书 --data samples/roster.xlsx --program samples/program.yaml --out outputs/任务书 --pdf
      kexie check 任务书 --data samples/roster.xlsx --program samples/program.yaml
    """


main.add_command(fill)
main.add_command(check)
main.add_command(extract)
main.add_command(validate)
main.add_command(confirm)
main.add_command(scores)
main.add_command(announce)
main.add_command(workdays)
main.add_command(packet)
main.add_command(notice)
main.add_command(program)
main.add_command(record)
main.add_command(status)
chinese.usage_in_chinese(main)
