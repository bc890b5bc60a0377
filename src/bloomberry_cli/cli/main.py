"""The entry point: run the app and map every way it can end to one exit code."""

import contextlib
import errno
import gc
import os
import sys
import traceback
from collections.abc import Callable

from bloomberry_cli.errors import BBError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    from bloomberry_cli.limits import forget_folders

    global _said_cannot_write
    forget_folders()
    _said_cannot_write = False
    debug = bool(os.environ.get("BB_DEBUG"))
    try:
        started_in = os.getcwd()  # -C changes directory; an in-process caller keeps its own
    except OSError:
        started_in = None
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _ctrl_c_in_a_finaliser(previous_hook)
    try:
        return _run(argv, debug)
    finally:
        sys.unraisablehook = previous_hook
        if started_in is not None:
            with contextlib.suppress(OSError):
                os.chdir(started_in)


def _ctrl_c_in_a_finaliser(
    previous: "Callable[[sys.UnraisableHookArgs], object]",
) -> "Callable[[sys.UnraisableHookArgs], object]":
    """Ctrl-C that lands while a finaliser runs (a ``__del__`` in a library, a weakref
    callback) cannot propagate: Python prints "Exception ignored in …" with a traceback and
    carries on, so bb would finish the run as if no one had pressed it. Deliver it once more,
    to the main thread, where bb stops (exit 130) and says so. From another thread: called
    here, the main thread would take it at once, inside this hook, and lose it again."""

    def hook(unraisable: "sys.UnraisableHookArgs") -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            import _thread

            _thread.start_new_thread(_thread.interrupt_main, ())
            return
        previous(unraisable)

    return hook


def _run(argv: list[str] | None, debug: bool) -> int:
    from bloomberry_cli.cli.app import app
    from bloomberry_cli.cli.console import err, report_error

    try:
        app(args=argv, prog_name="bb", standalone_mode=True)
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED and _from_ctrl_c(exc):  # typer: Ctrl-C, a quiet 130
            err.print("bb: interrupted")
            return EXIT_INTERRUPTED
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or EXIT_OK
        err.print(str(exc.code))
        return EXIT_USAGE
    except BBError as exc:
        if debug:
            traceback.print_exc()
        report_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("bb: interrupted")
        return EXIT_INTERRUPTED
    except OSError as exc:
        if exc.errno not in _DISK_FULL:
            return _bug(exc, debug)
        _cannot_write(exc)
        return EXIT_USAGE
    except Exception as exc:
        return _bug(exc, debug)
    return EXIT_OK


# A full disk (or quota) is where the output went, not a bug in bb.
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


_said_cannot_write = False


def _cannot_write(exc: OSError) -> None:
    """Say it once: the output that did not fit is still in stdout's buffer, and the flush
    on the way out meets the same full disk."""
    global _said_cannot_write
    if _said_cannot_write or sys.stderr is None:
        return
    _said_cannot_write = True
    hint = "free some space (or write the output somewhere else) and run again"
    with contextlib.suppress(OSError):
        sys.stderr.write(f"bb: error: cannot write: {exc.strerror or exc}\n")
        if exc.errno in _DISK_FULL:
            sys.stderr.write(f"  hint: {hint}\n")
        sys.stderr.flush()


def _bug(exc: Exception, debug: bool) -> int:
    """The unexpected: a bug, reported without a traceback."""
    from bloomberry_cli.cli.console import err

    if debug:
        traceback.print_exc()
    else:
        # the message is the exception's own text: never read as markup
        err.print("bb: unexpected error:", style="bold red", end=" ")
        err.print(
            f"{type(exc).__name__}: {exc}\n  This is a bug in bb. Run again with "
            "BB_DEBUG=1 and report the traceback.",
            markup=False,
        )
    return EXIT_BUG


def _from_ctrl_c(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt is what this exception was raised for (or while handling)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def entry() -> None:
    """The ``bb`` command. Once the command has finished and its output is flushed, leave at
    once: freeing a large run's heap object by object (ten thousand findings, the compiled
    claims) takes tens of milliseconds that no one waits for gladly, and after an LLM run
    litellm's logging threads and abandoned requests (after Ctrl-C) would hold the process
    for seconds. Every file bb writes is closed (and renamed) before a command returns.

    The cyclic collector runs far less often than Python's default (one pass per 700 new
    objects): importing the models and loading a workspace make hundreds of thousands of
    objects and almost no cycles, and those passes cost 50 ms of every command's start.
    mypy sets the same threshold for the same reason."""
    gc.set_threshold(200_000, 30, 30)
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C as the command ends (or delivered again, just late)
        code = EXIT_INTERRUPTED
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write("bb: interrupted\n")
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # closed before bb started (`bb … >&-`): nothing to flush
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # `bb … | head`: the reader left; what it read is all it wanted
            pass
        except OSError as exc:  # the output's last block did not fit (`bb lint > full-disk/x`)
            if stream is sys.stdout:
                _cannot_write(exc)
                code = max(code, EXIT_USAGE)
    os._exit(code)


if __name__ == "__main__":
    entry()
