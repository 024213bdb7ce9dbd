"""The store's tables, and the migrations that bring an older store file up to date.

The schema version is SQLite's `PRAGMA user_version`. `MIGRATIONS[n]` takes a store from version
n to n + 1; a new store runs them all. A store made by a newer storydiff (a version above
`SCHEMA_VERSION`) is refused rather than guessed at. Adding a table or a column is one new entry
at the end of the list, never an edit of an old one: old files must be able to follow the same path.
"""

from __future__ import annotations

# Version 1: articles, what was read from each input, what was skipped, copies, per-article
# features for clustering, per-article analyses, stories.
_V1 = """
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,            -- Article.uid: from the canonical URL, else the words
    origin TEXT NOT NULL,                -- the SOURCE given to `ingest` that yielded it
    position INTEGER NOT NULL,           -- its place in that source
    source TEXT,                         -- how messages name it (a path, a URL, 'file line 12')
    url TEXT,
    canonical_url TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,                      -- ISO 8601, as found
    day INTEGER,                         -- the publication day as days since 1970-01-01
    author TEXT,
    input_format TEXT,
    encoding TEXT,
    text TEXT NOT NULL,
    captions TEXT NOT NULL DEFAULT '[]', -- JSON lists
    furniture TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    words INTEGER NOT NULL,
    added TEXT NOT NULL,                 -- when it was stored (UTC)
    copy_of INTEGER REFERENCES articles(id),   -- the first stored article this one is a copy of
    copy_similarity REAL,
    story INTEGER                        -- stories.id, once clustered
);
CREATE INDEX articles_canonical ON articles(canonical_url);
CREATE INDEX articles_story ON articles(story);
CREATE INDEX articles_day ON articles(day);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_copy ON articles(copy_of);

CREATE TABLE signatures (article INTEGER PRIMARY KEY REFERENCES articles(id), data BLOB NOT NULL);
CREATE TABLE features (article INTEGER PRIMARY KEY REFERENCES articles(id), model TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE analyses (article INTEGER PRIMARY KEY REFERENCES articles(id), key TEXT NOT NULL, data BLOB NOT NULL);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    title TEXT,
    first_published TEXT,
    last_published TEXT,
    articles INTEGER NOT NULL,           -- articles in it, copies included
    voices INTEGER NOT NULL,             -- articles that are no copy of another
    outlets INTEGER NOT NULL,
    outlet_names TEXT NOT NULL,          -- JSON list, most articles first
    updated TEXT NOT NULL
);

CREATE TABLE inputs (
    origin TEXT PRIMARY KEY,
    kind TEXT,
    position INTEGER NOT NULL DEFAULT 0, -- items before this one are stored (or skipped)
    done INTEGER NOT NULL DEFAULT 0,     -- read to its end
    stored INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    updated TEXT NOT NULL
);
CREATE TABLE validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
CREATE TABLE skipped (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    position INTEGER NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (origin, position)
);
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT);

-- Text search over each article's title and lead (its first paragraphs): what a story is about is
-- said there, and the whole text would make the index as large as the articles.
CREATE VIRTUAL TABLE search USING fts5(title, lead, tokenize='porter unicode61');
"""

# Version 2: the comparison of a story, kept as its JSON: looking at a story again costs a read.
# Its key covers the storydiff version, the articles compared and the options; a story that gains
# an article gets a new key, so a kept comparison is never stale.
_V2 = """
CREATE TABLE comparisons (
    story INTEGER NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    made TEXT NOT NULL,
    PRIMARY KEY (story, key)
);
"""

# Version 3: a kept comparison's headline figures (facts shared, conflicts...) as JSON, so a list
# of stories can say how much the outlets differ without reading whole comparisons; and indexes in
# the orders stories are listed in, so a page of 50 is read off an index, not sorted from all.
_V3 = """
ALTER TABLE comparisons ADD COLUMN summary TEXT;
CREATE INDEX stories_widest ON stories(outlets DESC, voices DESC, articles DESC, id);
CREATE INDEX stories_latest ON stories(last_published DESC);
"""

MIGRATIONS: list[str] = [_V1, _V2, _V3]
SCHEMA_VERSION = len(MIGRATIONS)
