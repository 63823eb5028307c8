#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tests/host/bad-input.t - the bad-input table of issue 21: ctbench and
scripts/vm given bad command lines and bad result sets, on purpose. Each
row asserts the exit code (2: usage error, 1: bad result set or a failed
file, 5: compare refusing different machines) and fragments of the
message, and that the message comes once: one "ctbench:"/"vm:" line on
stderr (plus at most a "Try ..." line), no stray strerror text such as
"Invalid argument". Everything here works without /dev/cachetlb (the
option parsing before the device, crafted sets for compare/report/plot);
what needs the module is in tests/guest/45-cli.sh. TAP output.

ctbench: $CTBENCH, else build/host/bench/ctbench (made up to date here)."""
import json, os, shutil, subprocess, sys, tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
exe = os.environ.get('CTBENCH')
if not exe:
    exe = os.path.join(REPO, 'build/host/bench/ctbench')
    r = subprocess.run(['make', '-s', '-C', os.path.join(REPO, 'bench'),
                        'O=' + os.path.join(REPO, 'build/host/bench'), exe],
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    if r.returncode or not os.access(exe, os.X_OK):
        print('1..0 # SKIP cannot build ctbench')
        sys.exit(0)
VM = os.path.join(REPO, 'scripts', 'vm')
PLOT = os.path.join(REPO, 'scripts', 'plot')
EX = os.path.join(REPO, 'results', 'examples')
examples = sorted(os.path.join(EX, d) for d in os.listdir(EX))
x86 = next(d for d in examples if '-x86_64-' in d)
arm = next(d for d in examples if '-aarch64-' in d)

T = tempfile.mkdtemp(prefix='ctb-bad-input.')


def variant(name, edit):
    """A copy of the x86_64 example set, changed by edit(dir)."""
    d = os.path.join(T, name)
    shutil.copytree(x86, d)
    edit(d)
    return d


def rw_json(d, f, fn):
    p = os.path.join(d, f)
    with open(p) as fh:
        j = json.load(fh)
    j = fn(j)
    with open(p, 'w') as fh:
        json.dump(j, fh, indent=2)


def drop(key):
    def fn(m):
        del m[key]
        return m
    return fn


def setkey(key, val):
    def fn(m):
        m[key] = val
        return m
    return fn


def cut(f, nbytes):
    def e(d):
        p = os.path.join(d, f)
        with open(p, 'rb') as fh:
            b = fh.read()
        with open(p, 'wb') as fh:
            fh.write(b[:nbytes])
    return e


def first_line_only(f):
    def e(d):
        p = os.path.join(d, f)
        with open(p) as fh:
            head = fh.readline()
        with open(p, 'w') as fh:
            fh.write(head.replace(',median,', ',med,'))
    return e


sets = {
    'noarch': variant('noarch', lambda d: rw_json(d, 'meta.json', drop('arch'))),
    'nokernel': variant('nokernel', lambda d: rw_json(d, 'meta.json',
                                                     drop('kernel_release'))),
    'trunc': variant('trunc', cut('meta.json', 100)),
    'metaarray': variant('metaarray', lambda d: rw_json(d, 'meta.json',
                                                       lambda m: [m])),
    'schema99': variant('schema99', lambda d: rw_json(
        d, 'meta.json', setkey('schema_version', 99))),
    'pagesize': variant('pagesize', lambda d: rw_json(
        d, 'meta.json', setkey('page_size', 'big'))),
    'nocsv': variant('nocsv', lambda d: os.remove(os.path.join(d, 'results.csv'))),
    'emptycsv': variant('emptycsv', cut('results.csv', 0)),
    'shortcsv': variant('shortcsv', cut('results.csv', 300)),
    'nomedian': variant('nomedian', first_line_only('results.csv')),
    'nojson': variant('nojson', lambda d: os.remove(os.path.join(d, 'results.json'))),
    'jsonrows': variant('jsonrows', lambda d: rw_json(
        d, 'results.json', lambda j: dict(j, rows=j['rows'][:1]))),
    'badraw': variant('badraw', lambda d: open(
        os.path.join(d, 'raw', '0.csv'), 'w').write('ns,x\n1,2\n')),
}
afile = os.path.join(T, 'afile')
open(afile, 'w').write('not a directory\n')
missing = os.path.join(T, 'no-such-set')
BRS = 'ctbench: bad result set '

# (description, argv, exit code, fragments of stderr; ctbench's argv
# starts after the program name, 'VM' runs scripts/vm, 'PLOT' scripts/plot)
rows = [
    # -- the cases of issue 21
    ('--pages -5 keeps the value', ['run', 'nop', '--pages', '-5'], 2,
     ["--pages '-5'", '1..4096']),
    ('--pages=-5 keeps the value', ['run', 'nop', '--pages=-5'], 2,
     ["--pages '-5'"]),
    ('compare: meta.json without arch is a bad set, not "arch differs"',
     ['compare', x86, sets['noarch']], 1,
     [BRS + sets['noarch'] + ': meta.json: missing key \'arch\'']),
    ('report: meta.json without arch', ['report', sets['noarch']], 1,
     [BRS + sets['noarch'] + ": meta.json: missing key 'arch'"]),
    ('plot: meta.json without arch', ['plot', sets['noarch']], 1,
     [BRS + sets['noarch'] + ": meta.json: missing key 'arch'"]),
    ('scripts/plot itself: meta.json without arch', ['PLOT', sets['noarch']],
     1, ["bad result set", "missing key 'arch'"]),
    ('compare: meta.json without kernel_release',
     ['compare', sets['nokernel'], x86], 1,
     [BRS + sets['nokernel'] + ": meta.json: missing key 'kernel_release'"]),
    ('truncated meta.json: the parse error once, no strerror',
     ['compare', x86, sets['trunc']], 1,
     [BRS + sets['trunc'] + ': meta.json: line ']),
    ('truncated meta.json: report', ['report', sets['trunc']], 1,
     [BRS + sets['trunc'] + ': meta.json: line ']),
    ('VM: usage error exits 2, not 125', ['VM', '--bogus'], 2,
     ["vm: unknown argument '--bogus'", "scripts/vm --help"]),
    ('VM: no COMMAND', ['VM', '--arch', 'x86_64'], 2,
     ['vm: no COMMAND given (put it after --)']),
    ('VM: bad --arch', ['VM', '--arch', 'sparc', '--', 'true'], 2,
     ["--arch 'sparc' invalid; valid: x86_64 arm64 riscv64 s390x mips64el armhf ppc64el"]),
    ('VM: bad --kernel', ['VM', '--arch', 'x86_64', '--kernel', '5.10',
                          '--', 'true'], 2, ["--kernel '5.10' invalid"]),
    ('VM: bad --smp', ['VM', '--arch', 'x86_64', '--smp', '99', '--',
                       'true'], 2, ["--smp '99' invalid; valid: 1..8"]),
    ('VM: bad --env', ['VM', '--arch', 'x86_64', '--env', '1X=2', '--',
                       'true'], 2, ["--env '1X=2' invalid; expected NAME=VALUE"]),
    ('VM: --module missing', ['VM', '--arch', 'x86_64', '--module', missing,
                              '--', 'true'], 2,
     ["--module '%s': no such file" % missing]),
    ('VM: --timeout needs a value', ['VM', '--timeout'], 2,
     ['--timeout needs a value']),
    # -- command line
    ('unknown command', ['bogus'], 2,
     ["unknown command 'bogus' (valid: info, list, run, suite"]),
    ('help of an unknown command', ['help', 'bogus'], 2,
     ["help: 'bogus': no such command (valid: info"]),
    ('run without an op', ['run'], 2, ['give an OP name or --family F']),
    ('run with two ops', ['run', 'nop', 'spin'], 2,
     ["unexpected argument 'spin'"]),
    ('run --op NAME: the op is an argument', ['run', '--op', 'nop'], 2,
     ["unknown option '--op'", 'ctbench run OP']),
    ('unknown option', ['run', 'nop', '--bogus'], 2,
     ["unknown or ambiguous option '--bogus'"]),
    ('option without its value', ['run', 'nop', '--targets'], 2,
     ['--targets needs a value']),
    ('bad --family', ['run', '--family', 'bogus'], 2,
     ["--family 'bogus': unknown (valid: core, uaccess, cache, tlb)"]),
    ('--rounds 0', ['run', 'nop', '--rounds', '0'], 2,
     ['--rounds 0: out of range (valid 1..64)']),
    ('--samples 0', ['run', 'nop', '--samples', '0'], 2,
     ['--samples 0: out of range']),
    ('--pages 5000 above the module limit', ['run', 'nop', '--pages', '5000'],
     2, ['5000', '1..4096']),
    ('--count not a number', ['run', 'spin', '--count', 'abc'], 2,
     ["'abc'"]),
    ('bad --state', ['run', 'nop', '--state', 'bogus'], 2, ["'bogus'"]),
    ('bad --opflags', ['run', 'nop', '--opflags', 'bogus'], 2,
     ["--opflags 'bogus': unknown flag (valid:"]),
    ('-o under a file', ['run', 'nop', '-o', afile + '/sub'], 2,
     ['-o ' + afile + '/sub']),
    ('-o is a file', ['run', 'nop', '-o', afile], 2,
     ['exists and is not a directory']),
    ('suite without a name', ['suite'], 2, ['give quick or full']),
    ('unknown suite', ['suite', 'bogus'], 2,
     ["suite 'bogus': unknown (valid: quick, full)"]),
    ('suite --rounds 0', ['suite', 'quick', '--rounds', '0'], 2,
     ['--rounds 0: out of range']),
    ('suite -o a file', ['suite', 'quick', '-o', afile], 2,
     ['exists and is not a directory']),
    ('compare with one set', ['compare', x86], 2,
     ['compare: give two result sets A B']),
    ('compare with three sets', ['compare', x86, x86, x86], 2,
     ['unexpected argument']),
    ('report without a set', ['report'], 2, ['give one or two result sets']),
    ('plot without a set', ['plot'], 2, ['give a result set directory']),
    ('plot --term bogus', ['plot', '--term', 'bogus', x86], 2,
     ["--term 'bogus': unknown (valid: dumb, png, svg)"]),
    ('info takes no argument', ['info', 'extra'], 2,
     ["unexpected argument 'extra'"]),
    ('import-lava without JOB', ['import-lava'], 2, ['give JOB... and -o DIR']),
    # -- result sets
    ('a directory that does not exist', ['report', missing], 1,
     [BRS + missing + ': meta.json: cannot open it', 'not a result set?']),
    ('a file, not a set', ['report', afile], 1, [BRS + afile + ': meta.json']),
    ('meta.json not an object', ['report', sets['metaarray']], 1,
     ['meta.json: expected an object, got an array']),
    ('schema_version above the reader', ['report', sets['schema99']], 1,
     ["meta.json: key 'schema_version'"]),
    ('meta key of the wrong kind', ['report', sets['pagesize']], 1,
     ["meta.json: key 'page_size': expected an integer >= 0, got a string"]),
    ('results.csv missing', ['compare', x86, sets['nocsv']], 1,
     [BRS + sets['nocsv'] + ': results.csv: cannot open it']),
    ('results.csv empty', ['report', sets['emptycsv']], 1,
     ['results.csv: missing header line']),
    ('results.csv truncated mid-row', ['report', sets['shortcsv']], 1,
     ['results.csv: line 2: ']),
    ('results.csv without a column', ['report', sets['nomedian']], 1,
     ["results.csv: missing column 'median'"]),
    ('results.json missing', ['report', sets['nojson']], 1,
     ['results.json: cannot open it']),
    ('results.json with fewer rows', ['report', sets['jsonrows']], 1,
     ["results.json: key 'rows': 1 rows, results.csv has"]),
    ('raw/0.csv without its columns', ['report', sets['badraw']], 1,
     ['raw/0.csv: missing column']),
    ('compare of two arches: refused (5), not a bad set', ['compare', x86, arm],
     5, []),
]

print('1..%d' % (len(rows) + 2))
n = 0
fails = 0
for desc, argv, want, frags in rows:
    n += 1
    if argv[0] in ('VM', 'PLOT'):
        cmd = [VM if argv[0] == 'VM' else PLOT] + argv[1:]
    else:
        cmd = [exe] + argv
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=60,
                           env=dict(os.environ, CTB_PROGRESS='0'))
        err = r.stderr.decode(errors='replace')
        out = r.stdout.decode(errors='replace')
        rc = r.returncode
    except subprocess.TimeoutExpired:
        err, out, rc = '(timed out)', '', None
    who = {'VM': 'vm:', 'PLOT': 'plot:'}.get(argv[0], 'ctbench:')
    lines = [l for l in err.splitlines() if l.strip()]
    said = [l for l in lines if l.startswith(who)]
    extra = [l for l in lines if not l.startswith(who) and
             not l.startswith('Try ')]
    problems = []
    if rc != want:
        problems.append('exit %s, want %d' % (rc, want))
    for f in frags:
        if f not in err:
            problems.append('no %r' % f)
    if want != 5:
        if len(said) != 1:
            problems.append('%d "%s" lines, want 1' % (len(said), who))
        if extra:
            problems.append('other stderr lines %r' % extra[:2])
        if 'Invalid argument' in err:
            problems.append('stray "Invalid argument"')
    else:
        if 'refusing' not in out + err or '--cross-arch' not in out + err:
            problems.append('no "refusing" naming --cross-arch')
    if problems:
        fails += 1
        print('not ok %d - %s (%s): %s' % (n, desc, ' '.join(
            os.path.basename(a) if a.startswith('/') else a for a in argv),
            '; '.join(problems)))
        for l in lines[:4]:
            print('#   ' + l)
    else:
        print('ok %d - %s: exit %d, %s' % (n, desc, want,
                                           said[0][:100] if said else 'refused'))

# every subcommand's help exits 0, and so does scripts/vm --help
n += 1
subs = subprocess.run([exe, '--complete'], stdout=subprocess.PIPE).stdout.decode().split()
bad = [s for s in subs if subprocess.run(
    [exe, s, '--help'], stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL).returncode != 0]
if subs and not bad:
    print('ok %d - ctbench SUB --help exits 0 for all %d commands' % (n, len(subs)))
else:
    fails += 1
    print('not ok %d - --help fails for %r' % (n, bad or 'no commands'))
n += 1
r = subprocess.run([VM, '--help'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
if r.returncode == 0 and b'usage: scripts/vm' in r.stdout and not r.stderr:
    print('ok %d - scripts/vm --help: usage on stdout, exit 0' % n)
else:
    fails += 1
    print('not ok %d - scripts/vm --help: exit %d' % (n, r.returncode))

shutil.rmtree(T, ignore_errors=True)
sys.exit(1 if fails else 0)
