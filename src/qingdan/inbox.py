"""Finding the returned files merge is given: files as named, spreadsheets found
in folders, without what is no return — office lock files, qingdan's archives
and backups, masters, the forms split wrote, the folders of another qingdan
project (the demo's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .errors import UsageError
from .schema import DEMO_PREFIX
from .workbook import MASTER_FOLDER, Master


def split_folders(master: Master) -> set[Path]:
    """The folders split wrote forms into, as 日志 records them, and the default
    output/<期次>/下发 of each period split (in a copy of the whole project, 日志
    names the original's folders)."""
    folders = set()
    for split in master.splits:
        if split.folder:
            folders.add(Path(split.folder).resolve())
            if split.period is not None:
                folders.add((Path("output") / split.period.id / W.FOLDER_FORMS).resolve())
        if split.period is not None:  # the forms of the items still missing that mail --remind wrote
            for base in {Path("output") / split.period.id, Path(split.folder).parent if split.folder else None}:
                if base is not None:
                    folders.add((base / W.FOLDER_PARTIAL).resolve())
    return folders


def _inside(resolved: Path, folders: set[Path]) -> Path | None:
    """The folder of ``folders`` that holds the file at ``resolved`` (a resolved path)."""
    return next((f for f in folders if f in resolved.parents), None)


@dataclass
class Collected:
    """The files a merge was given, sorted out before any is read."""

    files: list[Path] = field(default_factory=list)  # to merge
    forms: list[Path] = field(default_factory=list)  # forms in split's folders: skipped
    named_forms: dict[Path, Path] = field(default_factory=dict)  # forms named on purpose → their folder
    projects: list[tuple[Path, bool]] = field(default_factory=list)  # other qingdan project folders: (folder, demo?)
    masters: list[Path] = field(default_factory=list)  # masters found in workbooks/ folders (a copy of this one …)

    @property
    def project_names(self) -> list[str]:
        """The other projects' folders, as merge says them."""
        return [(W.M_PROJECT_DEMO if demo else W.M_PROJECT_OTHER).format(folder=folder)
                for folder, demo in self.projects]


def _other_projects(folder: Path, inside: list[Path], identity: str) -> tuple[list[tuple[Path, bool]], set[Path]]:
    """(the folders below ``folder``, not ``folder`` itself, of another qingdan
    project — a workbooks/ folder beside them holds a master whose identity is
    known and not ``identity`` (the demo's, another list's) — each with whether it
    is the demo's; the masters in any workbooks/ folder below ``folder``, resolved:
    a copy of this master, say, is no return).  ``inside``: everything below
    ``folder``, walked once by the caller.  A master whose identity cannot be read
    does not make its folder another project's."""
    from .workbook import identity_of

    projects, masters = [], set()
    for found in inside:
        if found.name != MASTER_FOLDER.name or not found.is_dir():
            continue
        for master in sorted(found.glob("*.xlsx")):
            if master.name.startswith(("~$", ".")):
                continue
            theirs = identity_of(master, [])[0]
            if not theirs:
                continue
            masters.add(master.resolve())
            if theirs != identity and found.parent.resolve() != folder.resolve() \
                    and all(p != found.parent for p, _ in projects):
                projects.append((found.parent, theirs.startswith(DEMO_PREFIX)))
    return projects, masters


def collect(paths: Iterable[str | Path], master: Path, forms: set[Path] = frozenset(),
            identity: str = "") -> Collected:
    """The files as given, and the spreadsheets found in folders (recursively),
    without Office lock files, hidden files, qingdan's archives and backups (this
    master's, or any 归档/备份 folder below a folder given), the master, the forms
    split wrote (``forms`` folders), or anything inside the folder of another
    qingdan project (the demo's, a copy of another list's).  A form named on
    purpose is listed, to be refused with a message.  UsageError for a path that
    does not exist."""
    skip_dirs = {(master.parent / W.ARCHIVE_DIR).resolve(), (master.parent / W.BACKUP_DIR).resolve()}
    own_dirs = {W.ARCHIVE_DIR, W.BACKUP_DIR}
    wanted = {*(s.lower() for s in W.RETURN_SUFFIXES), W.WPS_SUFFIX}
    the_master = master.resolve()
    out = Collected()
    found, skipped, named_forms = out.files, out.forms, out.named_forms
    seen: set[Path] = set()

    def add(path: Path, resolved: Path) -> None:
        if resolved not in seen and resolved != the_master:
            seen.add(resolved)
            found.append(path)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(path.rglob("*"))
            projects, masters = _other_projects(path, inside, identity)
            out.projects += projects
            away = {p.resolve() for p, _ in projects}
            for child in inside:
                if not child.is_file() or child.suffix.lower() not in wanted:
                    continue
                if child.name.startswith(("~$", ".")):
                    continue
                if not own_dirs.isdisjoint(child.relative_to(path).parts[:-1]):
                    continue  # qingdan's backups and archives, of this master or another one
                resolved = child.resolve()  # once: every check below is on it
                if not skip_dirs.isdisjoint(resolved.parents) or not away.isdisjoint(resolved.parents):
                    continue
                if resolved in masters:
                    out.masters.append(child)
                    continue
                if _inside(resolved, forms):
                    skipped.append(child)
                    continue
                add(child, resolved)
        elif path.is_file():
            resolved = path.resolve()
            add(path, resolved)
            if folder := _inside(resolved, forms):
                named_forms[path] = folder
        else:
            raise UsageError(W.U_PATH_MISSING.format(path=path))
    return out
