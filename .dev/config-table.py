#!/usr/bin/env python3
"""Regenerates README.md's configuration table and config/aquatrade.yaml from ConfigKeys.java."""
import re, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
src = (root / 'src/main/java/io/aquatrade/config/ConfigKeys.java').read_text()
defs = re.findall(r'def\("([^"]+)",\s*Type\.(\w+),\s*"([^"]*)",\s*(null|"[^"]*"),\s*(null|"[^"]*"),\s*((?:"[^"]*"\s*\+?\s*)+)\)', src, re.S)
rows = ["| key | default | meaning |", "| --- | --- | --- |"]
yaml = ["# Aquatrade configuration: every key the bot knows, with its default and meaning.",
        "# Override any key on the command line with --set KEY=VALUE (e.g. --set risk.max_open_positions=3).",
        "# An unknown key or a bad value stops the bot at start with a message naming the key.",
        "# Secrets (API keys, the control token) are never read from this file: see README.md.", ""]
sections, order = {}, []
for name, typ, dflt, mn, mx, desc in defs:
    d = ' '.join(re.findall(r'"([^"]*)"', desc))
    rows.append("| `%s` | `%s` | %s |" % (name, dflt if dflt else '""', d.replace('|', '\\|')))
    sec, leaf = name.split('.', 1) if '.' in name else (None, name)
    if sec not in sections:
        sections[sec] = []
        order.append(sec)
    bounds = [w + ' ' + v.strip('"') for w, v in (('min', mn), ('max', mx)) if v != 'null']
    sections[sec].append((leaf, typ, dflt, bounds, d))
for sec in order:
    ind = ''
    if sec is not None:
        yaml.append(sec + ':')
        ind = '  '
    for leaf, typ, dflt, bounds, d in sections[sec]:
        yaml.append(ind + '# ' + d + ((' (' + ', '.join(bounds) + ')') if bounds else ''))
        yaml.append(ind + leaf + ': ' + ('"%s"' % dflt if typ == 'STRING' else dflt))
    yaml.append('')
readme = (root / 'README.md').read_text()
a = readme.index('<!-- config-keys:start')
a = readme.index('\n', a) + 1
b = readme.index('<!-- config-keys:end -->')
(root / 'README.md').write_text(readme[:a] + '\n'.join(rows) + '\n' + readme[b:])
(root / 'config/aquatrade.yaml').write_text('\n'.join(yaml))
