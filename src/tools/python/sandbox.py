# The Python side of the Python tool's sandbox: one namespace per session,
# imports of the browser bridge and of network modules refused, errors
# formatted the way the model should see them. Loaded once per interpreter by
# python_host.ts; the names below stay in a private namespace, not the user's.
import builtins as _builtins
import linecache as _linecache
import sys as _sys
import traceback as _traceback

# Top-level modules the policy's code may not import: they reach the browser
# (and through it the network) or install packages over the network.
_BLOCKED_ROOTS = frozenset(
    {"js", "pyodide", "pyodide_js", "_pyodide", "_pyodide_core", "micropip", "pyodide_http", "pyodide_kernel"}
)
# Text that the worker's network stubs put in their errors (see network_block.ts).
NETWORK_MARKER = "network access is disabled in the Python tool"
# How many traceback entries (frames) of the user's code the model sees.
_TRACEBACK_FRAMES = 3

_real_import = _builtins.__import__
_sessions = {}
_package_notes = {}


class SandboxImportError(ImportError):
    """Raised for imports the sandbox refuses."""


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.partition(".")[0] in _BLOCKED_ROOTS:
        raise SandboxImportError(
            f"import of '{name}' refused: {NETWORK_MARKER} and it has no access to the browser; "
            "compute with the standard library (math, statistics, fractions, decimal, …) instead",
            name=name,
        )
    return _real_import(name, globals, locals, fromlist, level)


def _called_from_user_code():
    frame = _sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<code"):
            return True
        frame = frame.f_back
    return False


class _BlockedModuleFinder:
    """Second line behind the guarded __import__: importlib.import_module and friends, from user code."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in _BLOCKED_ROOTS and _called_from_user_code():
            _guarded_import(name)
        return None


_sys.meta_path.insert(0, _BlockedModuleFinder)

_safe_builtins = dict(_builtins.__dict__)
_safe_builtins["__import__"] = _guarded_import


def set_package_notes(notes):
    """notes: {module name: text explaining why it is missing} for the optional packages."""
    _package_notes.clear()
    _package_notes.update(dict(notes))


def end_session(session):
    return _sessions.pop(session, None) is not None


def session_count():
    return len(_sessions)


def _classify(error):
    if isinstance(error, KeyboardInterrupt):
        return "timeout"
    if isinstance(error, SyntaxError):
        return "syntax"
    if isinstance(error, MemoryError):
        return "memory"
    if isinstance(error, RecursionError):
        return "recursion"
    if isinstance(error, SandboxImportError) or NETWORK_MARKER in str(error):
        return "network"
    if isinstance(error, ImportError):
        return "import"
    return "exception"


def _module_not_found_text(error):
    name = (error.name or "").partition(".")[0]
    note = _package_notes.get(name)
    base = f"ModuleNotFoundError: No module named '{error.name}'"
    if note:
        return f"{base}: {note}"
    return base + (
        ": it is not available in this sandbox (no package installs). Available: the standard library "
        "(math, cmath, statistics, random, decimal, fractions, itertools, …)"
    )


def _format_error(error):
    if isinstance(error, SyntaxError):
        return "".join(_traceback.format_exception_only(type(error), error)).rstrip()
    if isinstance(error, ModuleNotFoundError) and not isinstance(error, SandboxImportError):
        last = _module_not_found_text(error)
    else:
        last = "".join(_traceback.format_exception_only(type(error), error)).rstrip()
    # Keep only the frames of the user's code (drop this runner's), then the last few of them.
    tb = error.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<code"):
        tb = tb.tb_next
    frames = _traceback.format_tb(tb) if tb is not None else []
    if not frames:
        return last
    shown = frames[-_TRACEBACK_FRAMES:]
    hidden = len(frames) - len(shown)
    lines = ["Traceback (most recent call last):"]
    if hidden > 0:
        lines.append(f"  [… {hidden} earlier entries not shown …]")
    lines.extend(entry.rstrip("\n") for entry in shown)
    lines.append(last)
    return "\n".join(lines)


def run_call(session, code, call_number):
    """Runs `code` in the session's namespace. Returns (kind, error_text): kind "ok" and "" on success."""
    namespace = _sessions.get(session)
    if namespace is None:
        namespace = {"__name__": "__main__", "__builtins__": _safe_builtins}
        _sessions[session] = namespace
    filename = "<code>" if call_number <= 1 else f"<code {call_number}>"
    try:
        _linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        compiled = compile(code, filename, "exec")
        exec(compiled, namespace)
    except SystemExit as error:
        if error.code in (None, 0):
            return ("ok", "")
        return ("exception", f"SystemExit: {error.code}")
    except BaseException as error:  # noqa: BLE001 — everything the code raises goes back to the model
        kind = _classify(error)
        try:
            text = _format_error(error)
        except BaseException:  # noqa: BLE001 — formatting can fail under memory pressure
            text = f"{type(error).__name__}: {error}"
        return (kind, text)
    return ("ok", "")
