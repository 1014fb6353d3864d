#!/usr/bin/env python3
"""Adds newly written training messages to the #chatsafe corpus (docs/safety.md).

Usage: scripts/chatsafe-corpus-add.py FILE.jsonl...
Each message goes to moderation/corpus/train.jsonl or dev.jsonl by the same rule as the first
split (a hash of its group: 15 % of groups to dev), so a sentence and its variants stay
together; a message whose text is already in the corpus (train, dev or the frozen test split)
is dropped. The test split is never changed. Every line keeps the name of its file ("source").
"""
import hashlib, json, os, sys

corpus = os.path.join('moderation', 'corpus')
FIELDS = ['text', 'lang', 'category', 'risk', 'family', 'group', 'source']

def key(text):
    return ' '.join(text.lower().split())

def read(name):
    with open(os.path.join(corpus, name), encoding='utf-8') as f:
        return [json.loads(l) for l in f if l.strip()]

seen = {key(d['text']) for name in ('train.jsonl', 'dev.jsonl', 'test.jsonl') for d in read(name)}
added = {'train.jsonl': [], 'dev.jsonl': []}
dropped = 0
for path in sys.argv[1:]:
    source = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            k = key(d['text'])
            if k in seen:
                dropped += 1
                continue
            seen.add(k)
            d['source'] = source
            bucket = int(hashlib.sha1(d['group'].encode()).hexdigest(), 16) % 100
            added['dev.jsonl' if bucket < 15 else 'train.jsonl'].append(d)
for name, rows in added.items():
    with open(os.path.join(corpus, name), 'a', encoding='utf-8') as f:
        for d in rows:
            f.write(json.dumps({k: d.get(k) for k in FIELDS}, ensure_ascii=False) + '\n')
print(f"train +{len(added['train.jsonl'])}, dev +{len(added['dev.jsonl'])}; dropped {dropped} already in the corpus")
