"""The compiled LCMCR sampler, built once per installation and loaded without numba.

numba compiles the kernel (:mod:`civcas.estimate.lcmcr_kernel`) ahead of time into a
small extension module in the user's cache directory (``CIVCAS_CACHE_DIR``, else
``$XDG_CACHE_HOME/civcas``, else ``~/.cache/civcas``) the first time the sampler is needed
(about 10 s; numba needs a C compiler to link it). Every later process imports that module
in about a millisecond: no numba import (0.2-0.3 s) and no loading of numba's JIT cache
(0.2-0.4 s). The module's name carries a hash of the kernel's source and of the numba,
numpy and Python versions, so upgrading any of them builds a new one. Build it at install
time with ``python -m civcas.estimate.lcmcr_build``.

Without a C compiler, or with ``CIVCAS_LCMCR_AOT=0``, the same functions run under numba's
JIT with its on-disk cache (numba's own cache directory rules). The cache directory is
used only if it belongs to the user and nobody else can write to it.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
import sysconfig
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent
_SOURCES = ("lcmcr_kernel.py", "lcmcr_rng.py")
_PREFIX = "civcas_lcmcr_"
_loaded: tuple[Any, str] | None = None


def cache_dir() -> Path:
    env = os.environ.get("CIVCAS_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "civcas"


def module_name() -> str:
    """The AOT module's name for this kernel source, this numba installation (its
    package file's path, size and time: importlib.metadata would cost 40 ms) and these
    numpy and Python versions."""
    import numpy as np

    h = hashlib.sha256()
    for name in _SOURCES:
        h.update((_HERE / name).read_bytes())
    spec = importlib.util.find_spec("numba")
    numba = "none"
    if spec is not None and spec.origin:
        st = os.stat(spec.origin)
        numba = f"{spec.origin} {st.st_size} {st.st_mtime_ns}"
    h.update(f"{numba} {np.__version__} {sys.version}".encode())
    return _PREFIX + h.hexdigest()[:16]


def _private(d: Path) -> bool:
    """The directory belongs to this user and only this user can write to it."""
    try:
        st = d.stat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _path(d: Path, name: str) -> Path:
    return d / (name + (sysconfig.get_config_var("EXT_SUFFIX") or ".so"))


def _import(path: Path, name: str) -> Any:
    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    assert spec is not None
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def build(d: Path | None = None) -> Path:
    """Compile the kernel ahead of time into ``d`` (default :func:`cache_dir`); its path.

    Compiler output goes to a log file beside the module, not to this process's stdout.
    """
    d = d or cache_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = module_name()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from numba.pycc import CC

    from . import lcmcr_kernel as k

    with tempfile.TemporaryDirectory(dir=d) as tmp:
        cc = CC(name)
        cc.output_dir = tmp
        cc.verbose = False
        cc.export("init_state", k.INIT_SIG)(k.init_state.py_func)
        cc.export("run_chain", k.RUN_SIG)(k.run_chain.py_func)
        log = open(d / "build.log", "w")  # noqa: SIM115 - closed below, after the fds
        saved = [os.dup(1), os.dup(2)]
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cc.compile()
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            log.close()
        built = next(Path(tmp).glob(name + "*"))
        target = _path(d, name)
        os.replace(built, target)  # atomic: a concurrent build just replaces the same file
    return target


def kernel() -> tuple[Any, str]:
    """(functions ``init_state`` and ``run_chain``, "ahead-of-time" or "jit")."""
    global _loaded
    if _loaded is not None:
        return _loaded
    if os.environ.get("CIVCAS_LCMCR_AOT", "1") != "0":
        d = cache_dir()
        try:
            name = module_name()
            path = _path(d, name)
            if not path.exists() and (not d.exists() or _private(d)):
                build(d)
            if _private(d) and path.exists():
                _loaded = (_import(path, name), "ahead-of-time")
                return _loaded
        except Exception:  # noqa: BLE001 - no compiler, read-only home, ...: use the JIT
            pass
    from . import lcmcr_kernel

    _loaded = (lcmcr_kernel, "jit")
    return _loaded


def main() -> None:
    t0 = time.perf_counter()
    path = build()
    print(f"built {path} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
