"""The deployment files install and run what the tests ran, and keep the token and the state
where they belong. No container engine runs here, so the image is checked by reading its
Dockerfile against the Makefile's tested install; the systemd unit is checked by
`systemd-analyze verify` where systemd is installed, and by its keys everywhere."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import yaml

from bot.config import DEFAULT_DB, DEFAULT_STATE

REPO = Path(__file__).resolve().parents[1]
UNIT = REPO / "deploy" / "resource-bot.service"
INSTALL_ROOT = "/opt/resource-bot"


def instructions(path: Path) -> list[tuple[str, str]]:
    """A Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            rows.append((keyword.upper(), rest.strip()))
    return rows


def pip_installs(commands: list[str]) -> list[list[str]]:
    """The arguments after `pip install` in each shell command, --quiet dropped."""
    found = []
    for command in commands:
        for part in command.split("&&"):
            words = shlex.split(part)
            if "pip" in words and words[words.index("pip") + 1 : words.index("pip") + 2] == [
                "install"
            ]:
                args = words[words.index("pip") + 2 :]
                found.append([a for a in args if a != "--quiet"])
    return found


def test_the_image_installs_the_lock_the_makefile_installs_and_tests() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    make_commands = [line.strip() for line in makefile.splitlines() if "pip install" in line]
    dockerfile = instructions(REPO / "Dockerfile")
    docker_commands = [args for keyword, args in dockerfile if keyword == "RUN"]
    tested, built = pip_installs(make_commands), pip_installs(docker_commands)
    assert tested[0] == ["--require-hashes", "-r", "requirements.lock"]
    assert built[0] == tested[0]  # the same lock, with hashes required, first
    assert tested[1] == ["--no-deps", "-e", "."]
    assert built[1] == ["--no-deps", "."]  # then the project, resolving nothing more
    assert len(built) == 2
    copied = [args.split()[-2] for keyword, args in dockerfile if keyword == "COPY"]
    assert copied[0] == "requirements.lock"


def test_the_image_runs_the_bot_as_a_user_with_its_state_in_a_volume() -> None:
    dockerfile = instructions(REPO / "Dockerfile")
    final_stage = [i for i, (keyword, _) in enumerate(dockerfile) if keyword == "FROM"][-1]
    final = dockerfile[final_stage:]
    users = [args for keyword, args in final if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    workdir = PurePosixPath([args for keyword, args in final if keyword == "WORKDIR"][-1])
    [volume] = [args for keyword, args in final if keyword == "VOLUME"]
    volume_path = PurePosixPath(volume.strip('[]"'))
    assert (workdir / DEFAULT_DB).parent == volume_path  # the default database is kept
    assert workdir / DEFAULT_STATE == volume_path  # and so are the live catalogue and backups
    assert ("ENTRYPOINT", '["python", "-m", "bot"]') in final and ("CMD", '["run"]') in final
    from_line = final[0][1]
    python = re.search(r"python:(\d+\.\d+)", dockerfile[0][1] + from_line)
    lock_header = (REPO / "requirements.lock").read_text(encoding="utf-8")[:600]
    assert python and f"--python-version {python[1]}" in lock_header


def test_the_token_and_local_state_stay_out_of_the_image() -> None:
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored and "var/" in ignored and ".venv/" in ignored


def test_compose_keeps_the_state_in_a_volume_and_reads_the_env_file() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    [bot] = compose["services"].values()
    assert bot["env_file"] == ".env"
    [mount] = bot["volumes"]
    name, target = mount.split(":")
    assert name in compose["volumes"] and target == "/app/var"
    assert bot["restart"] == "on-failure"


def test_the_systemd_unit_runs_the_venv_python_hardened(tmp_path: Path) -> None:
    keys: dict[str, str] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", ";")):
            key, _, value = line.partition("=")
            keys[key.strip()] = value.strip()
    assert keys["ExecStart"] == f"{INSTALL_ROOT}/.venv/bin/python -m bot run"
    assert keys["EnvironmentFile"] == f"{INSTALL_ROOT}/.env"
    assert keys["WorkingDirectory"] == INSTALL_ROOT
    assert keys["User"] not in ("", "root")
    assert keys["Restart"] == "on-failure"
    assert keys["NoNewPrivileges"] == "yes" and keys["ProtectSystem"] == "strict"
    assert f"{INSTALL_ROOT}/{DEFAULT_DB.parent}" in keys["ReadWritePaths"].split()

    analyze = shutil.which("systemd-analyze")
    if analyze is None:  # no systemd here: the keys above are what can be checked
        return
    # The unit as installed: the same file, with the install root where this test put it.
    root = tmp_path / "resource-bot"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "python").symlink_to(sys.executable)
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALL_ROOT, str(root)))
    result = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert UNIT.name not in result.stderr, result.stderr  # no warning about the unit


def test_the_sharded_compose_runs_two_shards_on_one_postgresql() -> None:
    compose = yaml.safe_load((REPO / "compose.shards.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    bots = {name: s for name, s in services.items() if name != "database"}
    assert len(bots) == 2
    assert sorted(s["environment"]["SHARD_IDS"] for s in bots.values()) == ["0", "1"]
    for bot in bots.values():
        settings = bot["environment"]
        assert settings["SHARD_COUNT"] == "2"
        assert settings["DATABASE_URL"].startswith("postgresql://")
        assert "@database:" in settings["DATABASE_URL"]
        assert "database" in bot["depends_on"] and bot["env_file"] == ".env"
    volumes = [bot["volumes"][0].split(":")[0] for bot in bots.values()]
    assert len(set(volumes)) == 2, "each process has a state folder of its own"
