#!/usr/bin/env python3
"""Builds lmzip's training corpus from Debian packages (issue 17).

Called by scripts/corpus.sh, which downloads the .deb files; this program
reads the files straight out of each .deb (dpkg-deb --fsys-tarfile), so
the result depends only on the .deb bytes and ../shared/data, never on
what is installed or edited on the machine.  docs/TRAINING.md, "Training
corpus (issue 17)", describes the rules; the constants below are them.

Standard library only.
"""
import argparse
import bz2
import gzip
import hashlib
import io
import lzma
import os
import re
import subprocess
import sys
import tarfile
import time
import zipfile

FILE_CAP = 4 << 20          # bytes kept of one file (4 MiB), cut at a line end
MIN_BYTES = 256             # smaller files are skipped
KIND_CAP = 25_000_000       # bytes per kind (train + dev), except prose
PKG_KIND_CAP = 10_000_000   # bytes one package may give to one kind
DEV_BELOW = 13              # dev: sha256(SPLIT_SALT + name)[0] < 13 (~5%)
# Found by trying "lmzip-corpus-N:" for N = 0 (no salt), 1, 2, ...: the first
# salt with >= 5 dev packages, >= 80% of every kind in train and >= 2% dev in
# >= 8 kinds (no salt put ansible and gcc-12-test-results, nearly all YAML and
# logs, in dev).
SPLIT_SALT = "lmzip-corpus-159:"
SEP = b"\n"                 # written after every file in a kind file
SHA_HEX = 16                # sha256 hex digits kept in the manifest
CTRL_MAX = 0.01             # more control bytes than this: binary

# Never training data: the packages of ../shared/data/mixed (its files are
# the dev set; README.md there is parsed too), the other binary packages
# of the same sources, and debian-reference (any debian-reference-*).
EXCLUDED_PACKAGES = {
    "googletest", "libgtest-dev", "libgmock-dev", "google-mock",
    "libpython3.11-minimal",
    "nodejs", "nodejs-doc", "libnode-dev", "libnode108", "libnode109",
    "bash", "bash-doc", "bash-builtins", "bash-static",
    "iso-codes",
    "libtasn1-doc", "libtasn1-6", "libtasn1-6-dev", "libtasn1-bin",
    "debian-reference",
}
EXCLUDED_PREFIXES = ("debian-reference-",)
EXCLUDED_PATH = re.compile(r"^/usr/include/")

# Members of these archives are collected as files of their own.
ARCHIVES = {
    "glibc-source": re.compile(r"^/usr/src/glibc/glibc-[0-9.]+\.tar\.xz$"),
    "openjdk-17-source": re.compile(r"^/usr/lib/jvm/openjdk-17/lib/src\.zip$"),
}

# Licences recorded by hand. First those whose doc directory is a symlink to
# a package not in the list (the target's copyright file says):
LICENCE_OVERRIDE = {
    "openjdk-17-source": "GPL-2 with Classpath exception",
    "libpython3.11-testsuite": "PSF-2.0",
    "libpython3.11-stdlib": "PSF-2.0",
    "python3.11-doc": "PSF-2.0",
    "gcc-12-test-results": "GPL-3+",
    "gcc-12-plugin-dev": "GPL-3+",
    # copyright files that are not machine-readable, read by hand
    "fontconfig-config": "HPND (fontconfig)",
    "gettext": "GPL-3+ (tools), LGPL-2.1+ (libraries)",
    "glibc-source": "LGPL-2.1+",
    "gnuplot-data": "gnuplot",
    "guile-3.0-libs": "LGPL-3+",
    "libtcl8.6": "TCL",
    "libtk8.6": "TCL",
    "tcl8.6-doc": "TCL",
    "tk8.6-doc": "TCL",
    "tcllib": "TCL",
}

# Prose: the existing training text, referenced in place (not from a .deb).
PROSE = [  # (path under the shared data folder, split, licence)
    ("text/books/dickens.txt", "train", "public-domain"),
    ("text/books/fortunes_all.txt", "train", "BSD-like/various"),
    ("text/books/jargon.txt", "train", "public-domain"),
    ("text/books/kjv_bible.txt", "train", "public-domain"),
    ("text/dict/devil.dict.txt", "train", "public-domain"),
    ("text/dict/foldoc.dict.txt", "train", "GFDL"),
    ("text/dict/gcide.dict.txt", "train", "GPL-3+"),
    ("text/enwik/enwik8_bytes_1M_3M", "train", "CC-BY-SA/GFDL"),
    ("text/wikitext2/valid.txt", "dev", "CC-BY-SA"),
]
PROSE_FORBIDDEN = ("text/enwik/enwik6",)

CPP_PACKAGES = {"qtbase5-examples", "gtkmm-documentation", "libboost1.74-doc",
                "gcc-12-plugin-dev"}

EXT = {}
def _ext(kind, names):
    for n in names.split():
        EXT[n] = kind
_ext("code-c", "c h")
_ext("code-cpp", "cc cpp cxx c++ hh hpp hxx h++ ipp tcc inl tpp")
_ext("code-python", "py pyi pyx pxd pxi")
_ext("code-js", "js mjs cjs jsx ts tsx")
_ext("css", "css scss less")
_ext("code-shell", "sh bash zsh ksh")
_ext("code-perl", "pl pm pod")
_ext("code-rust", "rs")
_ext("code-go", "go")
_ext("code-java", "java")
_ext("code-lisp", "el lisp lsp scm ss sls sld rkt clj cljs asd")
_ext("code-tcl", "tcl tm")
_ext("code-ruby", "rb rake gemspec")
_ext("code-php", "php phpt")
_ext("code-sql", "sql")
_ext("code-asm", "s asm")
_ext("code-build", "cmake m4 ac am mk mak")
_ext("code-vim", "vim")
_ext("code-other", "awk sed lua hs lhs ml mli f f90 f95 pas adb ads swift "
     "kt scala groovy r jl erl hrl ex exs nim zig vhd vhdl sv bat ps1 y yy l "
     "ll bzl proto thrift gd")
_ext("html", "html htm xhtml shtml")
_ext("xml", "xml xsl xslt xsd dtd rng rnc gir ui glade policy wsdl xlf plist "
     "kml gpx ent docbook xul")
_ext("svg", "svg")
_ext("markdown", "md markdown mdown mkd mkdn")
_ext("rst", "rst rest")
_ext("roff", "man roff ms me mom tmac nroff")
_ext("tex", "tex sty cls dtx ins ltx bib bst bbx cbx lbx fd clo")
_ext("texinfo", "texi texinfo txi")
_ext("po", "po pot")
_ext("json", "json jsonld geojson ipynb webmanifest")
_ext("csv", "csv tsv tab psv")
_ext("yaml", "yml yaml")
_ext("log", "log")
_ext("config", "conf cfg ini cnf cf rules properties toml service socket timer "
     "target mount automount path slice network netdev link desktop types")
_ext("text", "txt")

# Skipped without reading further (binary or compiled).
SKIP_EXT = set("""png gif jpg jpeg ico bmp tif tiff webp icns so a o pyc pyo mo
gmo ttf otf woff woff2 eot pfb tfm vf pk fmt jar class elc db wav ogg mp3 flac
pdf dvi zip tgz tar cache dll exe bin""".split())

TEXT_NAMES = {"readme", "authors", "thanks", "todo", "install", "bugs",
              "hacking", "faq", "copyright", "copying", "license", "licence",
              "notice", "credits", "contributors", "maintainers"}
LOG_NAMES = ("changelog", "changes", "news", "history")

SHEBANG = [
    (re.compile(rb"^(ba|da|k|z|)sh$"), "code-shell"),
    (re.compile(rb"^perl"), "code-perl"),
    (re.compile(rb"^python"), "code-python"),
    (re.compile(rb"^ruby"), "code-ruby"),
    (re.compile(rb"^(tclsh|wish|expect)"), "code-tcl"),
    (re.compile(rb"^(node|nodejs)$"), "code-js"),
    (re.compile(rb"^php"), "code-php"),
    (re.compile(rb"^(guile|sbcl|emacs|clisp|racket)"), "code-lisp"),
    (re.compile(rb"^make$"), "code-build"),
]

HTML_LANG = re.compile(r"\.html?\.[a-z]{2}([_-][a-z]{2,4})?$")
TEX_DIR = re.compile(r"/(texmf|texmf-dist|texlive)/")
TEX_DIR_EXT = {"def", "cfg", "cnf", "fd", "clo", "ldf"}
MAN_SECTION = re.compile(r"\.([1-9][a-z0-9]*|n)$")

_CTRL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def sha(data):
    return hashlib.sha256(data).hexdigest()


def split_of(pkg):
    digest = hashlib.sha256((SPLIT_SALT + pkg).encode()).digest()
    return "dev" if digest[0] < DEV_BELOW else "train"


def shebang_kind(data):
    if not data.startswith(b"#!"):
        return None
    words = data[2:200].split(b"\n", 1)[0].split()
    if not words:
        return None
    prog = words[0].rsplit(b"/", 1)[-1]
    if prog == b"env" and len(words) > 1:
        prog = words[1]
    for rx, kind in SHEBANG:
        if rx.match(prog):
            return kind
    return "code-other"


def classify(pkg, path, data):
    """Kind of a file from its package, path (compression suffix removed)
    and content; None when it is none of the collected kinds."""
    base = path.rsplit("/", 1)[-1]
    low = base.lower()
    ext = low.rsplit(".", 1)[-1] if "." in low else ""
    if ext == "in" and low.count(".") >= 2 and not low.startswith("makefile"):
        low = low[:-3]
        ext = low.rsplit(".", 1)[-1] if "." in low else ""
    kind = None
    # package and place first
    if pkg == "gcc-12-test-results" and ext in ("log", "sum"):
        kind = "log"
    elif "/tests/files/logs/" in path:
        kind = "log"
    elif pkg == "unicode-data" and ext == "txt":
        kind = "csv"
    elif pkg == "gnuplot-data" and ext == "dat":
        kind = "csv"
    elif path.startswith("/usr/share/man/"):
        kind = "roff"
    elif path.startswith("/usr/share/info/"):
        kind = "texinfo"
    elif "/_sources/" in path and ext == "txt":
        kind = "rst"
    elif path.startswith("/usr/share/X11/xkb/"):
        kind = "config"
    elif path.startswith("/usr/share/bash-completion/completions/"):
        kind = "code-shell"
    elif path.startswith("/usr/share/zsh/") and "/functions/" in path:
        kind = "code-shell"
    elif TEX_DIR.search(path) and ext in TEX_DIR_EXT:
        kind = "tex"
    elif ext == "h" and pkg in CPP_PACKAGES:
        kind = "code-cpp"
    elif HTML_LANG.search(low):
        kind = "html"
    elif low in ("makefile", "gnumakefile") or low.startswith("makefile."):
        kind = "code-build"
    elif low == "cmakelists.txt":
        kind = "code-build"
    elif ext in EXT:
        kind = EXT[ext]
    elif path.startswith("/usr/share/doc/") and low.startswith(LOG_NAMES):
        kind = "changelog"
    elif low.split(".")[0] in TEXT_NAMES:
        kind = "text"
    elif low.startswith(LOG_NAMES):
        kind = "changelog"
    elif path.startswith("/etc/"):
        kind = "config"
    elif MAN_SECTION.search(low) and data[:1] in (b".", b"'"):
        kind = "roff"
    elif path.startswith("/usr/share/doc/") and ext == "":
        kind = "text"
    # content can correct the name
    if data.lstrip()[:5] == b"<?xml" and kind not in ("html", "svg"):
        kind = "xml"
    elif kind in (None, "text", "config"):
        kind = shebang_kind(data) or kind
    return kind


def read_limited(f):
    return f.read(FILE_CAP + 1)


def collect(path, raw):
    """(inner path, collected bytes, transform) or None for a file that is
    skipped (binary, unreadable, tiny)."""
    low = path.lower()
    transform = "raw"
    inner = path
    ext = low.rsplit(".", 1)[-1] if "." in low.rsplit("/", 1)[-1] else ""
    if ext in ("gz", "xz", "bz2"):
        if re.search(r"\.(tar|cpio|img|pdf|ps|eps|svg|dvi)\.[a-z0-9]+$", low):
            return None
        opener = {"gz": lambda b: gzip.GzipFile(fileobj=b), "xz": lzma.LZMAFile,
                  "bz2": bz2.BZ2File}[ext]
        try:
            data = read_limited(opener(io.BytesIO(raw)))
        except (OSError, EOFError, lzma.LZMAError, ValueError):
            return None
        transform = {"gz": "gunzip", "xz": "unxz", "bz2": "bunzip2"}[ext]
        inner = path[: -len(ext) - 1]
    else:
        data = raw[: FILE_CAP + 1]
    if len(data) > FILE_CAP:
        cut = data.rfind(b"\n", 0, FILE_CAP)
        data = data[: cut + 1] if cut >= FILE_CAP // 2 else data[:FILE_CAP]
        transform += "+cut"
    if len(data) < MIN_BYTES or b"\0" in data:
        return None
    ctrl = len(data) - len(data.translate(None, _CTRL))
    if ctrl > CTRL_MAX * len(data):
        return None
    return inner, data, transform


def skip_by_name(path):
    base = path.rsplit("/", 1)[-1].lower()
    if "." not in base:
        return False
    ext = base.rsplit(".", 1)[-1]
    if ext in ("gz", "xz", "bz2"):
        stem = base[: -len(ext) - 1]
        ext2 = stem.rsplit(".", 1)[-1] if "." in stem else ""
        return ext2 in SKIP_EXT or ext2 == "tar"
    return ext in SKIP_EXT


def good_path(path):
    return ("\t" not in path and "\n" not in path and "\r" not in path
            and not any(0xDC80 <= ord(c) <= 0xDCFF for c in path))


def deb_members(deb):
    """Yields (path, bytes, symlink target or None) for every member of
    the .deb's data archive, in archive order."""
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                            stdout=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tf:
            for m in tf:
                name = m.name
                if name.startswith("./"):
                    name = name[1:]
                elif not name.startswith("/"):
                    name = "/" + name
                if m.issym():
                    yield name, None, m.linkname
                elif m.isreg():
                    yield name, tf.extractfile(m).read(), None
    finally:
        proc.stdout.close()
        if proc.wait() != 0:
            raise SystemExit(f"corpus: dpkg-deb failed on {deb}")


def archive_members(path, raw):
    """Regular files inside a .tar.xz / .zip member, sorted by name."""
    out = []
    if path.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    out.append((info.filename, zf.read(info), "unzip"))
    else:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:*") as tf:
            for m in tf:
                if m.isreg():
                    out.append((m.name, tf.extractfile(m).read(), "untar"))
    out.sort(key=lambda t: t[0])
    return out


def candidates_of(pkg, path, raw):
    """The collected files of one .deb member: (path, kind, bytes, transform)."""
    if ARCHIVES.get(pkg) and ARCHIVES[pkg].match(path):
        for name, data, how in archive_members(path, raw):
            sub = f"{path}!/{name}"
            if not good_path(sub) or skip_by_name(name):
                continue
            got = collect("/" + name, data)
            if got is None:
                continue
            _, body, transform = got
            kind = classify(pkg, "/" + name, body)
            if kind:
                yield sub, kind, body, how if transform == "raw" else f"{how}+{transform}"
        return
    if EXCLUDED_PATH.match(path) or not good_path(path) or skip_by_name(path):
        return
    got = collect(path, raw)
    if got is None:
        return
    inner, body, transform = got
    kind = classify(pkg, inner, body)
    if kind:
        yield path, kind, body, transform


def licence_of(text):
    """First License: field of a machine-readable copyright file, else a
    short name guessed from the text."""
    if text is None:
        return None
    for line in text.splitlines():
        m = re.match(r"^License:\s*(\S.*)$", line)
        if m:
            return re.sub(r"\s+", " ", m.group(1).strip())
    t = re.sub(r"\s+", " ", text)
    if re.search(r"GNU (Lesser|Library) General Public License", t, re.I):
        return "LGPL"
    if re.search(r"Artistic License", t) and "General Public License" in t:
        return "Artistic or GPL-1+"
    if re.search(r"GNU General Public License", t, re.I):
        v = re.search(r"version ([23])", t)
        return f"GPL-{v.group(1)}+" if v else "GPL"
    if "Apache License" in t:
        return "Apache-2.0"
    if "Permission to use, copy, modify, distribute, and sell" in t:
        return "HPND"
    if "Permission is hereby granted, free of charge" in t:
        return "Expat"
    if re.search(r"Redistribution and use in source and binary forms", t):
        return "BSD"
    if re.search(r"public domain", t, re.I):
        return "public-domain"
    return "see-copyright"


def excluded_from_readme(shared):
    """Package names in the mixed/ README table ('name VERSION: /path')."""
    names = set()
    readme = os.path.join(shared, "mixed", "README.md")
    with open(readme, encoding="utf-8") as f:
        for line in f:
            cols = [c.strip() for c in line.split("|")]
            if len(cols) < 5:
                continue
            m = re.match(r"^([a-z0-9][a-z0-9.+-]+) [0-9][^ ]*: ", cols[3])
            if m:
                names.add(m.group(1))
    if not names:
        raise SystemExit(f"corpus: no package names found in {readme}")
    return names


def is_excluded(pkg, extra):
    return pkg in EXCLUDED_PACKAGES or pkg in extra or pkg.startswith(EXCLUDED_PREFIXES)


def log(msg):
    print(f"corpus: {msg}", file=sys.stderr, flush=True)


def build(args):
    t0 = time.time()
    debs = []
    with open(args.debs, encoding="utf-8") as f:
        for line in f:
            pkg, version, path = line.rstrip("\n").split("\t")
            debs.append((pkg, path, version))
    debs.sort()
    readme_excluded = excluded_from_readme(args.shared)
    bad = [p for p, _, _ in debs if is_excluded(p, readme_excluded)]
    if bad:
        raise SystemExit(f"corpus: excluded packages in the list: {' '.join(bad)}")

    # pass 1: every candidate file of every package
    meta = {}        # pkg -> (version, deb sha256, deb bytes)
    copyrights = {}  # doc dir name -> copyright text
    doclinks = {}    # pkg -> doc dir symlink target
    cands = []       # (pkg, path, kind, bytes, sha256 hex, transform)
    stats = {}       # pkg -> [members, candidates]
    for i, (pkg, deb, want) in enumerate(debs):
        ver = subprocess.run(["dpkg-deb", "-f", deb, "Version"], check=True,
                             capture_output=True, text=True).stdout.strip()
        name = subprocess.run(["dpkg-deb", "-f", deb, "Package"], check=True,
                              capture_output=True, text=True).stdout.strip()
        if name != pkg or ver != want:
            raise SystemExit(f"corpus: {deb} is {name} {ver}, not {pkg} {want}")
        h = hashlib.sha256()
        with open(deb, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        meta[pkg] = (ver, h.hexdigest(), os.path.getsize(deb))
        n_mem = n_cand = 0
        for path, raw, link in deb_members(deb):
            n_mem += 1
            m = re.match(r"^/usr/share/doc/([^/]+)(/copyright)?$", path)
            if m and link is not None and not m.group(2):
                doclinks[m.group(1)] = link.rstrip("/").rsplit("/", 1)[-1]
            if m and m.group(2) and raw is not None:
                copyrights[m.group(1)] = raw.decode("utf-8", "replace")
            if raw is None:
                continue
            for sub, kind, body, transform in candidates_of(pkg, path, raw):
                cands.append((pkg, sub, kind, len(body), sha(body), transform))
                n_cand += 1
        stats[pkg] = [n_mem, n_cand]
        log(f"[{i + 1}/{len(debs)}] {pkg} {ver}: {n_mem} members, {n_cand} candidates "
            f"({time.time() - t0:.0f} s)")

    licences = {}
    missing = []
    for pkg, _, _ in debs:
        lic = LICENCE_OVERRIDE.get(pkg)
        if lic is None:
            text = copyrights.get(pkg)
            if text is None and pkg in doclinks:
                text = copyrights.get(doclinks[pkg])
            lic = licence_of(text)
        if lic is None:
            missing.append(pkg)
            continue
        licences[pkg] = lic.replace("\t", " ")
    if missing:
        raise SystemExit(f"corpus: no copyright file for {' '.join(missing)}: "
                         "add them to LICENCE_OVERRIDE")

    # prose rows (not deduplicated against packages, never capped)
    prose = []
    for rel, split, lic in PROSE:
        path = os.path.join(args.shared, rel)
        with open(path, "rb") as f:
            data = f.read()
        prose.append(("shared-data", f"../shared/data/{rel}", "prose", len(data), sha(data),
                      "raw", split, lic))

    # dedup: first occurrence in (package, path) order wins
    cands.sort(key=lambda c: (c[0], c[1]))
    seen = set(r[4] for r in prose)
    uniq = []
    for c in cands:
        if c[4] in seen:
            continue
        seen.add(c[4])
        uniq.append(c)
    log(f"{len(cands)} candidate files, {len(uniq)} after dedup")

    # caps per kind and per (package, kind), files in a fixed shuffled order
    def order(c):
        return hashlib.sha256(f"{c[0]}\0{c[1]}".encode()).digest()
    by_kind = {}
    for c in uniq:
        by_kind.setdefault(c[2], []).append(c)
    chosen = []
    for kind in sorted(by_kind):
        total = 0
        per_pkg = {}
        for c in sorted(by_kind[kind], key=order):
            size = c[3]
            if total + size > KIND_CAP or per_pkg.get(c[0], 0) + size > PKG_KIND_CAP:
                continue
            total += size
            per_pkg[c[0]] = per_pkg.get(c[0], 0) + size
            chosen.append(c)

    rows = [(p, path, kind, size, digest, transform, split_of(p), licences[p])
            for (p, path, kind, size, digest, transform) in chosen]
    rows += prose
    rows.sort(key=lambda r: (r[0], r[1]))

    # hard filter, checked on the result
    forbidden_sha = {}
    mixed = os.path.join(args.shared, "mixed")
    for name in sorted(os.listdir(mixed)):
        if name in ("README.md", "SHA256SUMS"):
            continue
        with open(os.path.join(mixed, name), "rb") as f:
            forbidden_sha[sha(f.read())] = f"mixed/{name}"
    for rel in PROSE_FORBIDDEN:
        with open(os.path.join(args.shared, rel), "rb") as f:
            forbidden_sha[sha(f.read())] = rel
    problems = []
    for r in rows:
        if is_excluded(r[0], readme_excluded):
            problems.append(f"excluded package {r[0]}: {r[1]}")
        if EXCLUDED_PATH.match(r[1]):
            problems.append(f"/usr/include file {r[0]}: {r[1]}")
        if r[4] in forbidden_sha:
            problems.append(f"{r[0]}: {r[1]} is {forbidden_sha[r[4]]}")
        if any(r[1].endswith(p) for p in PROSE_FORBIDDEN):
            problems.append(f"dev file {r[1]}")
    if problems:
        raise SystemExit("corpus: EXCLUSION CHECK FAILED:\n  " + "\n  ".join(problems[:50]))

    # pass 2: write the kind files in manifest order
    out = args.out
    tmp = os.path.join(out, ".build")
    os.makedirs(os.path.join(tmp, "train"), exist_ok=True)
    os.makedirs(os.path.join(tmp, "dev"), exist_ok=True)
    for split in ("train", "dev"):
        for name in os.listdir(os.path.join(tmp, split)):
            os.unlink(os.path.join(tmp, split, name))
    handles = {}

    def put(split, kind, data):
        key = (split, kind)
        if key not in handles:
            handles[key] = [open(os.path.join(tmp, split, kind + ".txt"), "wb"),
                            hashlib.sha256(), 0, 0]
        hd = handles[key]
        hd[0].write(data)
        hd[0].write(SEP)
        hd[1].update(data)
        hd[1].update(SEP)
        hd[2] += 1
        hd[3] += len(data)

    deb_of = {pkg: path for pkg, path, _ in debs}
    wanted = {}
    for r in rows:
        wanted.setdefault(r[0], []).append(r)
    for pkg in sorted(wanted):
        prs = wanted[pkg]
        if pkg == "shared-data":
            for r in prs:
                with open(os.path.join(args.shared, r[1][len("../shared/data/"):]), "rb") as f:
                    data = f.read()
                if sha(data) != r[4]:
                    raise SystemExit(f"corpus: {r[1]} changed during the build")
                put(r[6], r[2], data)
            continue
        need = {r[1]: r for r in prs}
        outer = {p.split("!/", 1)[0] for p in need}
        got = {}
        for path, raw, link in deb_members(deb_of[pkg]):
            if raw is None or path not in outer:
                continue
            for sub, kind, body, transform in candidates_of(pkg, path, raw):
                if sub in need:
                    got[sub] = body
        for path in sorted(need):
            r = need[path]
            body = got.get(path)
            if body is None or sha(body) != r[4]:
                raise SystemExit(f"corpus: {pkg}: {path} differs between passes")
            put(r[6], r[2], body)
        log(f"wrote {pkg} ({len(prs)} files, {time.time() - t0:.0f} s)")
    summary = []
    for (split, kind), hd in sorted(handles.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        hd[0].close()
        summary.append((kind, split, hd[2], hd[3], hd[1].hexdigest()))

    # overlap with the dev files: 128-byte windows must not occur anywhere
    needles = []
    for name in sorted(os.listdir(mixed)):
        if name in ("README.md", "SHA256SUMS") or name.endswith((".pdf", ".elf")):
            continue
        with open(os.path.join(mixed, name), "rb") as f:
            data = f.read()
        for frac in (0.2, 0.4, 0.6, 0.8):
            at = int(len(data) * frac)
            needles.append((f"mixed/{name}@{at}", data[at: at + 128]))
    for rel in PROSE_FORBIDDEN:
        with open(os.path.join(args.shared, rel), "rb") as f:
            data = f.read()
        for frac in (0.2, 0.4, 0.6, 0.8):
            at = int(len(data) * frac)
            needles.append((f"{rel}@{at}", data[at: at + 128]))
    hits = []
    for split in ("train", "dev"):
        for name in sorted(os.listdir(os.path.join(tmp, split))):
            with open(os.path.join(tmp, split, name), "rb") as f:
                data = f.read()
            for label, needle in needles:
                if needle in data:
                    hits.append(f"{label} found in {split}/{name}")
    if hits:
        raise SystemExit("corpus: EXCLUSION CHECK FAILED (dev-set text in the corpus):\n  "
                         + "\n  ".join(hits))
    log(f"exclusion checks passed ({len(rows)} files; {len(needles)} dev-set windows absent)")

    # move into place
    for split in ("train", "dev"):
        dst = os.path.join(out, split)
        os.makedirs(dst, exist_ok=True)
        for name in os.listdir(dst):
            if name.endswith(".txt") and not os.path.exists(os.path.join(tmp, split, name)):
                os.unlink(os.path.join(dst, name))
        for name in os.listdir(os.path.join(tmp, split)):
            os.replace(os.path.join(tmp, split, name), os.path.join(dst, name))
    for split in ("train", "dev"):
        os.rmdir(os.path.join(tmp, split))
    os.rmdir(tmp)

    # tables
    os.makedirs(args.tables, exist_ok=True)
    with open(os.path.join(args.tables, "manifest.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("package\tversion\tpath\tlicence\tbytes\tkind\tsplit\tsha256\ttransform\n")
        for p, path, kind, size, digest, transform, split, lic in rows:
            ver = meta[p][0] if p in meta else "-"
            f.write(f"{p}\t{ver}\t{path}\t{lic}\t{size}\t{kind}\t{split}\t"
                    f"{digest[:SHA_HEX]}\t{transform}\n")
    with open(os.path.join(args.tables, "summary.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("kind\tsplit\tfiles\tbytes\tsha256\n")
        for kind, split, n, size, digest in summary:
            f.write(f"{kind}\t{split}\t{n}\t{size}\t{digest}\n")
    per_pkg = {}
    for r in rows:
        a = per_pkg.setdefault(r[0], [0, 0])
        a[0] += 1
        a[1] += r[3]
    with open(os.path.join(args.tables, "packages.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("package\tversion\tdeb_sha256\tdeb_bytes\tlicence\tsplit\tfiles\tbytes\n")
        for pkg, _, _ in debs:
            ver, dsha, dsize = meta[pkg]
            n, size = per_pkg.get(pkg, [0, 0])
            f.write(f"{pkg}\t{ver}\t{dsha}\t{dsize}\t{licences[pkg]}\t{split_of(pkg)}\t"
                    f"{n}\t{size}\n")
    with open(os.path.join(out, "candidates.tsv"), "w", encoding="utf-8") as f:
        f.write("package\tkind\tfiles\tbytes\n")
        agg = {}
        for c in uniq:
            a = agg.setdefault((c[0], c[2]), [0, 0])
            a[0] += 1
            a[1] += c[3]
        for (pkg, kind), (n, size) in sorted(agg.items()):
            f.write(f"{pkg}\t{kind}\t{n}\t{size}\n")
    with open(os.path.join(out, "stats.tsv"), "w", encoding="utf-8") as f:
        f.write("package\tmembers\tcandidates\tkept\n")
        for pkg, (n_mem, n_cand) in sorted(stats.items()):
            f.write(f"{pkg}\t{n_mem}\t{n_cand}\t{per_pkg.get(pkg, [0])[0]}\n")
    total = sum(s[3] for s in summary)
    log(f"done: {len(rows)} files, {total} bytes in {len(summary)} kind files, "
        f"{time.time() - t0:.0f} s")


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:]]


def check(args):
    """Compares freshly built tables (args.tables) with the committed ones."""
    ok = True
    old_p = {r["package"]: r for r in read_tsv(os.path.join(args.committed, "packages.tsv"))}
    new_p = {r["package"]: r for r in read_tsv(os.path.join(args.tables, "packages.tsv"))}
    changed = set()
    for pkg in sorted(set(old_p) | set(new_p)):
        a, b = old_p.get(pkg), new_p.get(pkg)
        if a is None or b is None:
            print(f"check: package {pkg} only in the {'new' if a is None else 'committed'} list")
            changed.add(pkg)
            ok = False
        elif a["version"] != b["version"] or a["deb_sha256"] != b["deb_sha256"]:
            print(f"check: VERSION DIFFERS: {pkg}: committed {a['version']}, "
                  f"this machine got {b['version']}"
                  + ("" if a["version"] != b["version"] else " (same version, other .deb)"))
            changed.add(pkg)
            ok = False
    old_m = {(r["package"], r["path"]): r for r in read_tsv(os.path.join(args.committed, "manifest.tsv"))}
    new_m = {(r["package"], r["path"]): r for r in read_tsv(os.path.join(args.tables, "manifest.tsv"))}
    same = in_changed = moved = wrong = 0
    for key in sorted(set(old_m) | set(new_m)):
        a, b = old_m.get(key), new_m.get(key)
        if a == b:
            same += 1
        elif key[0] in changed:
            in_changed += 1
        elif a is None or b is None:
            # same package and version, but the caps took other files: a
            # package of another version changed how the caps filled up
            moved += 1
            if not changed and moved <= 20:
                print(f"check: MISMATCH {key[0]}: {key[1]}: {'missing' if b is None else 'extra'}")
        else:
            wrong += 1
            if wrong <= 20:
                print(f"check: MISMATCH {key[0]}: {key[1]}: sha256 {a['sha256']} -> {b['sha256']}, "
                      f"bytes {a['bytes']} -> {b['bytes']}, kind {a['kind']} -> {b['kind']}")
    print(f"check: {same} files identical; {in_changed} differ in packages whose version differs; "
          f"{moved} other files taken or dropped by the caps; {wrong} with other bytes")
    unexplained = wrong + (moved if not changed else 0)
    old_s = {(r["kind"], r["split"]): r for r in read_tsv(os.path.join(args.committed, "summary.tsv"))}
    new_s = {(r["kind"], r["split"]): r for r in read_tsv(os.path.join(args.tables, "summary.tsv"))}
    bad_s = [f"{k[1]}/{k[0]}.txt" for k in sorted(set(old_s) | set(new_s))
             if old_s.get(k, {}).get("sha256") != new_s.get(k, {}).get("sha256")]
    if bad_s:
        print(f"check: kind files that differ: {' '.join(bad_s)}")
    if unexplained or bad_s:
        ok = False
    if ok:
        print("check: OK: every file matches the committed manifest")
    elif unexplained:
        print("check: FAILED: files differ that the package versions do not explain")
    else:
        print(f"check: FAILED: {len(changed)} package(s) of another version than the committed "
              "one (see above); every other file has its committed bytes")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--debs", required=True, help="TSV: package, path of its .deb")
    b.add_argument("--out", required=True, help="corpus directory")
    b.add_argument("--tables", required=True, help="where manifest/summary/packages.tsv go")
    b.add_argument("--shared", required=True, help="the shared data folder")
    c = sub.add_parser("check")
    c.add_argument("--tables", required=True)
    c.add_argument("--committed", required=True)
    args = ap.parse_args()
    if args.cmd == "build":
        build(args)
        return 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
