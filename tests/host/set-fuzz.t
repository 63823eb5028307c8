#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tests/host/set-fuzz.t - 1,000 mutated meta.json/results.json files fed to
`ctbench report` and `ctbench compare --force`: each exits 0 or 1 (a bad
result set), never on a signal (crash), never hangs (10 s each). Seeds: the
committed sets in results/examples. TAP output.

ctbench: $CTBENCH, else build/host/bench/ctbench (built here if missing).
$CTB_FUZZ_N overrides the 1,000 cases, $CTB_FUZZ_SEED the random seed."""
import json, os, random, shutil, subprocess, sys, tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
N = int(os.environ.get('CTB_FUZZ_N', '1000'))
rng = random.Random(int(os.environ.get('CTB_FUZZ_SEED', '25')))
exe = os.environ.get('CTBENCH') or os.path.join(REPO, 'build/host/bench/ctbench')

print('1..3')
if not os.access(exe, os.X_OK):
    r = subprocess.run(['make', '-C', os.path.join(REPO, 'bench'),
                        'O=' + os.path.join(REPO, 'build/host/bench'),
                        os.path.join(REPO, 'build/host/bench/ctbench')],
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    if r.returncode or not os.access(exe, os.X_OK):
        print('not ok 1 - build ctbench (%s)' % exe)
        print('ok 2 # SKIP no ctbench')
        print('ok 3 # SKIP no ctbench')
        sys.exit(1)
print('ok 1 - ctbench at %s' % os.path.relpath(exe, REPO))

ex = os.path.join(REPO, 'results', 'examples')
seeds = sorted(os.path.join(ex, d) for d in os.listdir(ex)
               if os.path.isfile(os.path.join(ex, d, 'meta.json')))

WEIRD = [None, True, False, 0, -1, 2**63, -2**63 - 1, 1e308, -0.0, 1.5,
         '', 'x' * 5000, '\u00e9\u20ac', '\ud7ff', [], {}, [1, [2, [3]]],
         {'a': {'b': {}}}, '1', 'true', 'null']


def mutate_value(doc):
    """Change, delete or add one value somewhere in the parsed document."""
    path, node = [], doc
    while isinstance(node, (dict, list)) and node and rng.random() < 0.7:
        k = rng.choice(list(node)) if isinstance(node, dict) \
            else rng.randrange(len(node))
        path.append((node, k))
        node = node[k]
    if not path:
        return json.dumps(rng.choice(WEIRD))
    parent, k = path[-1]
    r = rng.random()
    if r < 0.25 and isinstance(parent, dict):
        del parent[k]
    elif r < 0.35 and isinstance(parent, list):
        parent.append(rng.choice(WEIRD))
    else:
        parent[k] = rng.choice(WEIRD)
    return json.dumps(doc, indent=rng.choice([None, 1, 2]))


def mutate_bytes(text):
    """Byte-level damage: special characters, truncation, deep nesting."""
    b = bytearray(text.encode('utf-8', 'surrogatepass'))
    r = rng.random()
    if r < 0.15:
        return bytes(b[:rng.randrange(len(b) + 1)])
    if r < 0.25:
        d = rng.choice([10, 1000, 100000])
        return b'[' * d + b']' * rng.choice([0, d])
    if r < 0.3:
        return b'{"a": 1, "a": 2}'
    for _ in range(rng.randint(1, 8)):
        b[rng.randrange(len(b))] = rng.choice(b'"{}[],:\\\n0e.-tfn \x00\x01\xff\xc3')
    return bytes(b)


work = tempfile.mkdtemp(prefix='ctb-set-fuzz.')
crash = hang = other = 0
outcomes = {0: 0, 1: 0}
try:
    for i in range(N):
        seed = seeds[i % len(seeds)]
        # one work set per seed: results.csv and raw/ linked, both JSON
        # files written afresh every case
        d = os.path.join(work, os.path.basename(seed))
        if not os.path.isdir(d):
            os.mkdir(d)
            for n in ('results.csv', 'raw'):
                if os.path.exists(os.path.join(seed, n)):
                    os.symlink(os.path.join(seed, n), os.path.join(d, n))
        for n in ('meta.json', 'results.json'):
            shutil.copyfile(os.path.join(seed, n), os.path.join(d, n))
        name = rng.choice(['meta.json', 'results.json'])
        with open(os.path.join(d, name), encoding='utf-8') as f:
            text = f.read()
        if rng.random() < 0.5:
            data = mutate_value(json.loads(text)).encode('utf-8',
                                                          'surrogatepass')
        else:
            data = mutate_bytes(text)
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
        cmd = [exe, 'report', d] if i % 2 else \
            [exe, 'compare', '--force', seed, d]
        try:
            r = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=10)
        except subprocess.TimeoutExpired:
            hang += 1
            print('# hang: %s (%s of %s)' % (' '.join(cmd[1:2]), name, seed))
            continue
        if r.returncode < 0:
            crash += 1
            keep = os.path.join(tempfile.gettempdir(), 'ctb-fuzz-crash-%d' % i)
            shutil.copytree(d, keep, dirs_exist_ok=True)
            print('# signal %d: %s, set kept in %s' % (-r.returncode,
                                                     cmd[1], keep))
        elif r.returncode in outcomes:
            outcomes[r.returncode] += 1
            if r.returncode == 1 and b'bad result set' not in r.stderr:
                other += 1
                print('# exit 1 without "bad result set": %s' %
                      r.stderr.decode(errors='replace')[-200:])
        else:
            other += 1
            print('# exit %d: %s' % (r.returncode,
                                     r.stderr.decode(errors='replace')[-200:]))
finally:
    shutil.rmtree(work, ignore_errors=True)

print('# %d cases: %d exit 0, %d exit 1, %d crashed, %d hung, %d other'
      % (N, outcomes[0], outcomes[1], crash, hang, other))
print('%s 2 - %d mutated sets: no crash, no hang' %
      ('ok' if not crash and not hang else 'not ok', N))
print('%s 3 - every exit is 0, or 1 with "bad result set"' %
      ('ok' if not other and outcomes[1] else 'not ok'))
sys.exit(1 if crash or hang or other or not outcomes[1] else 0)
