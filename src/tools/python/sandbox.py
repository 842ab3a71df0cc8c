# The Python side of the Python tool's sandbox: one namespace per session,
# imports of the browser bridge and of network modules refused, errors
# formatted the way the model should see them. Loaded once per interpreter by
# python_host.ts; the names below stay in a private namespace, not the user's.
#
# One interpreter serves every rollout, so what one call changes must not reach
# another (a rollout could otherwise spoil the rewards of its group). Before
# every call, the interpreter is put back as it was at boot (take_baseline):
#   - each session has its own globals and its own copy of the builtins;
#   - every module's attributes, and the attributes of the Python classes it
#     defines, are restored (a module imported later is recorded when its
#     import finishes, before user code can touch it); modules that appeared
#     otherwise are dropped from sys.modules, so the next import is fresh;
#   - sys.stdout/stderr/stdin, the recursion limit, int_max_str_digits, the
#     decimal contexts, os.environ and the working folder are reset, and the
#     random module's state is kept per session;
#   - the files under /tmp and the working folder belong to the session that
#     wrote them: they are set aside while another session runs, and removed
#     when the session ends.
# Lists a module holds directly (sys.path, sys.meta_path, warnings.filters)
# get their contents back too, and trace/profile hooks are removed.
#
# This is best-effort, against code that changes state by accident or habit,
# not against code that sets out to defeat it: Python code in the same
# interpreter can reach this file's namespace (a function's __globals__) and
# switch the restore off, or read another session's variables. Not covered
# either: state held in C (an extension type's internals), contents of
# mutable objects deeper than a module's own lists (restored by identity),
# and files written elsewhere in the in-memory file system. Only a fresh
# interpreter per rollout would be sound against a determined adversary. The browser-side isolation (no route to the app's
# origin or the network) is the sandbox worker's business, not this file's: see
# python_tool.ts.
import builtins as _builtins
import decimal as _decimal
import linecache as _linecache
import os as _os
import random as _random
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
    module = _real_import(name, globals, locals, fromlist, level)
    # Only when the import loaded something: an import inside a hot function must stay cheap.
    if _baseline_taken and len(_sys.modules) != _known_modules[0]:
        _record_new_modules()
    return module


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

# ---- Putting the interpreter back before every call ----

_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: built-in and extension types refuse setattr anyway
_MISSING = object()
# The runtime's own modules keep state across calls on purpose; the user cannot import them.
_OWN_ROOTS = _BLOCKED_ROOTS | {"_pyodide_core", "pyodide", "_pyodide"}
_DECIMAL_FIELDS = ("prec", "rounding", "Emin", "Emax", "capitals", "clamp")
_AREAS = ("/tmp",)


class _ModuleState:
    """A module's attributes, the contents of the lists it holds, and the attributes of the Python classes it defines, as first recorded."""

    __slots__ = ("module", "values", "lists", "classes")

    def __init__(self, module):
        self.module = module
        self.values = dict(module.__dict__)
        self.lists = [(v, v[:]) for v in self.values.values() if type(v) is list]
        name = self.values.get("__name__")
        self.classes = [
            (c, dict(c.__dict__))
            for c in self.values.values()
            if isinstance(c, type) and not c.__flags__ & _IMMUTABLE_TYPE and c.__dict__.get("__module__") == name
        ]

    def restore(self):
        _restore_mapping(self.module.__dict__, self.values)
        for current, saved in self.lists:
            if current != saved:
                current[:] = saved
        for cls, saved in self.classes:
            current = cls.__dict__
            for key in [k for k in current if k not in saved]:
                try:
                    delattr(cls, key)
                except (AttributeError, TypeError):
                    pass
            for key, value in saved.items():
                if current.get(key, _MISSING) is not value:
                    try:
                        setattr(cls, key, value)
                    except (AttributeError, TypeError):
                        pass


def _restore_mapping(current, saved):
    for key in [k for k in current if k not in saved]:
        del current[key]
    for key, value in saved.items():
        if current.get(key, _MISSING) is not value:
            current[key] = value


# Private references: user code may replace these modules' attributes, and runs before the next restore.
_builtins_dict = _builtins.__dict__
_builtins_saved = dict(_builtins_dict)
_getstate, _setstate = _random.getstate, _random.setstate
_walk, _remove, _rmdir, _makedirs, _chdir, _getcwd = _os.walk, _os.remove, _os.rmdir, _os.makedirs, _os.chdir, _os.getcwd
_join, _dirname, _islink, _isdir = _os.path.join, _os.path.dirname, _os.path.islink, _os.path.isdir
_setcontext = _decimal.setcontext

_states = {}
_known_modules = [0]
_baseline_taken = False
_base = {}
_session_random = {}
_area_owner = None
_area_stash = {}


def _own(name):
    return name.partition(".")[0] in _OWN_ROOTS


def _record_new_modules():
    for name, module in list(_sys.modules.items()):
        if module is not None and name not in _states and not _own(name):
            _states[name] = _ModuleState(module)
    _known_modules[0] = len(_sys.modules)


def take_baseline():
    """Records the interpreter as every call will find it; called once, after boot."""
    global _baseline_taken
    _record_new_modules()
    _base.update(
        stdout=_sys.stdout,
        stderr=_sys.stderr,
        stdin=_sys.stdin,
        recursion=_sys.getrecursionlimit(),
        digits=_sys.get_int_max_str_digits(),
        decimal=_decimal.getcontext().copy(),
        decimal_templates={n: getattr(_decimal, n).copy() for n in ("DefaultContext", "BasicContext", "ExtendedContext")},
        random=_getstate(),
        environ=dict(_os.environ),
        cwd=_getcwd(),
    )
    _baseline_taken = True


def _files_under(root):
    out = {}
    for folder, _dirs, files in _walk(root):
        for name in files:
            path = _join(folder, name)
            try:
                with open(path, "rb") as f:
                    out[path] = f.read()
            except OSError:
                pass
    return out


def _clear_areas():
    for root in (*_AREAS, _base["cwd"]):
        for folder, _dirs, files in _walk(root, topdown=False):
            for name in files:
                try:
                    _remove(_join(folder, name))
                except OSError:
                    pass
            if folder != root:
                try:
                    _rmdir(folder)
                except OSError:
                    pass


def _real_roots():
    """Puts back /tmp and the working folder as plain folders (code may have swapped one for a link elsewhere)."""
    for root in (*_AREAS, _base["cwd"]):
        if _islink(root) or not _isdir(root):
            try:
                _remove(root)
            except OSError:
                pass
            _makedirs(root, exist_ok=True)


def _switch_areas(session):
    """Gives /tmp and the working folder to `session`: the previous owner's files are set aside."""
    global _area_owner
    _real_roots()
    if _area_owner == session:
        return
    if _area_owner is not None:
        saved = {}
        for root in (*_AREAS, _base["cwd"]):
            saved.update(_files_under(root))
        _area_stash[_area_owner] = saved
    _clear_areas()
    for path, data in _area_stash.pop(session, {}).items():
        _makedirs(_dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    _area_owner = session


def _restore_interpreter(session):
    # builtins and sys first, with dict operations only: everything after uses them.
    _restore_mapping(_builtins_dict, _builtins_saved)
    _states["sys"].restore()
    for name in list(_sys.modules):
        if name not in _states and not _own(name):
            del _sys.modules[name]
    for name, state in _states.items():
        if _sys.modules.get(name) is not state.module:
            _sys.modules[name] = state.module
        state.restore()
    _sys.stdout, _sys.stderr, _sys.stdin = _base["stdout"], _base["stderr"], _base["stdin"]
    _sys.settrace(None)
    _sys.setprofile(None)
    _sys.setrecursionlimit(_base["recursion"])
    _sys.set_int_max_str_digits(_base["digits"])
    for name, saved in _base["decimal_templates"].items():
        template = getattr(_decimal, name)
        for field in _DECIMAL_FIELDS:
            setattr(template, field, getattr(saved, field))
        template.traps.update(saved.traps)
        template.flags.update(saved.flags)
    _setcontext(_base["decimal"].copy())
    _setstate(_session_random.get(session, _base["random"]))
    _restore_mapping(_os.environ, _base["environ"])
    _switch_areas(session)
    _chdir(_base["cwd"])


def set_package_notes(notes):
    """notes: {module name: text explaining why it is missing} for the optional packages."""
    _package_notes.clear()
    _package_notes.update(dict(notes))


def end_session(session):
    """Forgets a session: its namespace, its random state and its files."""
    global _area_owner
    _session_random.pop(session, None)
    _area_stash.pop(session, None)
    if _area_owner == session:
        _real_roots()
        _clear_areas()
        _area_owner = None
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
    if not _baseline_taken:
        return _run(session, code, call_number)
    _restore_interpreter(session)
    try:
        return _run(session, code, call_number)
    finally:
        _session_random[session] = _getstate()


def _run(session, code, call_number):
    namespace = _sessions.get(session)
    if namespace is None:
        namespace = {"__name__": "__main__", "__builtins__": dict(_safe_builtins)}
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
