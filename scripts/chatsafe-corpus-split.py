#!/usr/bin/env python3
"""Splits the #chatsafe corpus once (issue 24), as recorded in docs/safety.md.

Input: the files the corpus was written in (moderation/corpus/train/*.jsonl: the training pass;
moderation/corpus/test/*.jsonl: the test pass, written apart and before any training) and the
project's older labelled sets (moderation/src/test/resources/chatsafe/*.jsonl, which the rules
were tuned on: training data only).
Output: moderation/corpus/train.jsonl and dev.jsonl (groups split 85/15 by a hash of the group
id, so a sentence and its variants stay together) and test.jsonl (the frozen test split, as
written). A training or dev message whose text also occurs in the test split is dropped from
training, so the test split measures only messages the model never saw. Every line gets the
name of the file it came from ("source"). Run once on 2026-12-07; the input files were removed
after the split (each line keeps its "source"), so this script is the record of how it was done.
"""
import glob, hashlib, json, os, sys

root = sys.argv[1] if len(sys.argv) > 1 else 'moderation'
corpus = os.path.join(root, 'corpus')

def read(path):
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                d = json.loads(line)
                d['source'] = os.path.splitext(os.path.basename(path))[0]
                yield n, d

def key(text):
    return ' '.join(text.lower().split())

test = []
for path in sorted(glob.glob(os.path.join(corpus, 'test', '*.jsonl'))):
    test += [d for _, d in read(path)]
test_texts = {key(d['text']) for d in test}

train, dev, dropped, seen = [], [], 0, set()
paths = sorted(glob.glob(os.path.join(corpus, 'train', '*.jsonl')))
paths += sorted(glob.glob(os.path.join(root, 'src', 'test', 'resources', 'chatsafe', '*.jsonl')))
for path in paths:
    for n, d in read(path):
        k = key(d['text'])
        if k in test_texts or k in seen:
            dropped += 1
            continue
        seen.add(k)
        d.setdefault('group', d['source'] + '-' + str(n))
        d.setdefault('family', 'legacy')
        d.setdefault('risk', None)
        bucket = int(hashlib.sha1(d['group'].encode()).hexdigest(), 16) % 100
        (dev if bucket < 15 else train).append(d)

FIELDS = ['text', 'lang', 'category', 'risk', 'family', 'group', 'source']
def write(name, rows):
    with open(os.path.join(corpus, name), 'w', encoding='utf-8') as f:
        for d in rows:
            f.write(json.dumps({k: d.get(k) for k in FIELDS}, ensure_ascii=False) + '\n')

write('train.jsonl', train)
write('dev.jsonl', dev)
write('test.jsonl', test)
print(f'train {len(train)}, dev {len(dev)}, test {len(test)}; dropped {dropped} duplicates (of the test split or earlier lines)')
