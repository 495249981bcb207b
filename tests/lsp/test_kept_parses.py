"""The server keeps the parse of each document's last text for its next edit, for the most
recently analysed documents only, and forgets a closed document's."""

from __future__ import annotations

from shapelens.analysis import Options
from shapelens.lsp.state import KEEP_PARSED, Documents

TEXT = """import keras

inp = keras.Input((4,))
out = keras.layers.Dense(8)(inp)
"""


def analyse(docs: Documents, uri: str, text: str) -> None:
    docs.token[uri] = 1  # open
    docs._analyse_edit(uri, uri.removeprefix("file://"), text, Options())


def test_the_next_edit_of_a_document_gets_its_last_parse() -> None:
    docs = Documents()
    analyse(docs, "file:///a.py", TEXT)
    kept = docs.parsed["file:///a.py"]
    analyse(docs, "file:///a.py", TEXT.replace("Dense(8)", "Dense(9)"))
    after = docs.parsed["file:///a.py"]
    assert after.text == TEXT.replace("Dense(8)", "Dense(9)")
    assert after.body[:2] == kept.body[:2]  # the lines before the edit were not parsed again


def test_only_the_most_recently_analysed_documents_keep_their_parse() -> None:
    docs = Documents()
    uris = [f"file:///m{k}.py" for k in range(KEEP_PARSED + 3)]
    for uri in uris:
        analyse(docs, uri, TEXT)
    assert list(docs.parsed) == uris[-KEEP_PARSED:]
    analyse(docs, uris[-KEEP_PARSED], TEXT)  # used again: now the most recent
    assert list(docs.parsed)[-1] == uris[-KEEP_PARSED]


def test_a_closed_document_forgets_its_parse() -> None:
    docs = Documents()
    analyse(docs, "file:///a.py", TEXT)
    docs.close("file:///a.py")
    assert "file:///a.py" not in docs.parsed
