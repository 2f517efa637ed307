"""The topic query language (SPEC §5): parse, compile to SQL, match in Python, explain."""

from bot.query.ast import Query
from bot.query.errors import QueryError
from bot.query.match import PaperDoc, doc_for, explain_match
from bot.query.parser import parse_query
from bot.query.to_sql import CompiledQuery, compile_query

__all__ = [
    "CompiledQuery",
    "PaperDoc",
    "Query",
    "QueryError",
    "compile_query",
    "doc_for",
    "explain_match",
    "parse_query",
]
