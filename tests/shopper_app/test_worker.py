"""The service workers: the module worker's imports, the classic fallback, and the version covering both."""

import re
from pathlib import Path

from app.shopper_app import shell

STATIC = Path(__file__).parents[2] / "app" / "static"


def _imports(path: Path) -> list[str]:
    return re.findall(r'^import (?:[^"]+ from )?"([^"]+)";', path.read_text(), re.M)


def _worker_modules() -> set[str]:
    """Every app module the module worker loads, directly or through another module."""
    seen, todo = set(), [STATIC / "sw.js"]
    while todo:
        path = todo.pop()
        for name in _imports(path):
            if name.startswith("./"):
                name = str(Path("/static/js/shopper-app") / name[2:])
            if name.startswith("/static/js/") and name not in seen:
                seen.add(name)
                todo.append(STATIC / name.removeprefix("/static/"))
    return seen


def test_the_worker_loads_only_modules_that_run_without_a_page():
    """sync.js runs in the worker too: nothing it imports may build the DOM (a worker has no document)."""
    modules = _worker_modules()
    assert "/static/js/shopper-app/sync.js" in modules
    assert "/static/js/shopper-app/dom.js" not in modules, modules
    for module in modules:
        text = (STATIC / module.removeprefix("/static/")).read_text()
        top_level = [line for line in text.splitlines() if re.match(r"^(const|let|var|[a-zA-Z_.]+\()", line)]
        assert not [line for line in top_level if "document" in line or "window." in line], module


def test_both_workers_cache_the_shell_with_the_same_code():
    module = (STATIC / "sw.js").read_text()
    classic = (STATIC / "sw-classic.js").read_text()
    assert 'import "/app/shell.js";' in module and 'import "/static/sw-shell.js";' in module
    assert 'importScripts("/app/shell.js", "/static/sw-shell.js");' in classic
    shared = (STATIC / "sw-shell.js").read_text()
    assert not re.search(r"^\s*(import|export)\b", shared, re.M)  # loadable both ways


def test_the_classic_worker_is_served_from_the_root_uncached(client):
    with client.get("/sw-classic.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Service-Worker-Allowed"] == "/"
    with client.get("/sw.js") as response:
        assert response.status_code == 200 and "import" in response.get_data(as_text=True)


def test_a_change_to_a_worker_script_changes_the_version(app, tmp_path):
    """The worker's scripts are not shell files, but a new worker must come with a new, complete bucket."""
    static = Path(app.static_folder)
    copy = tmp_path / "static"
    for name in shell.STATIC_FILES + shell.WORKER_FILES + ("manifest.webmanifest",):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((static / name).read_bytes())
    (tmp_path / "templates" / "shopper_app").mkdir(parents=True)
    (tmp_path / "templates" / "shopper_app" / "shell.html").write_bytes(
        (static.parent / "templates" / "shopper_app" / "shell.html").read_bytes()
    )
    before = shell.shell_version(str(copy))
    (copy / "sw-shell.js").write_text((copy / "sw-shell.js").read_text() + "\n// changed\n")
    shell._files_digest.cache_clear()
    assert shell.shell_version(str(copy)) != before
