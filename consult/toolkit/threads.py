"""Threads of comments: loaded in one query, built into a tree, flattened for display, serialised.

Everything here is iterative (no recursion), so a chain of a thousand replies is no problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.markdown import render_markdown
from consult.toolkit.models import Comment

#: Replies are indented up to this depth; deeper replies line up under the deepest indent.
MAX_DISPLAY_DEPTH = 4


@dataclass
class Node:
    """A comment with its replies."""

    comment: Comment
    depth: int = 0
    children: list[Node] = field(default_factory=list)
    #: Ids from the top-level comment down to this one.
    path: tuple[int, ...] = ()

    @property
    def display_depth(self) -> int:
        """Indentation level on the page, capped at :data:`MAX_DISPLAY_DEPTH`."""
        return min(self.depth, MAX_DISPLAY_DEPTH)


def state_of(comment: Comment) -> str:
    """``visible``, ``hidden`` (by the Secretariat) or ``deleted`` (by its author)."""
    if comment.deleted_at is not None:
        return "deleted"
    if comment.hidden_at is not None:
        return "hidden"
    return "visible"


def load_comments(section_id: int) -> list[Comment]:
    """Every comment of a section with its author and constituency, in one query."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.section_id == section_id)
            .options(joinedload(Comment.author), joinedload(Comment.constituency))
            .order_by(Comment.id)
        )
    )


def build_tree(comments: list[Comment]) -> list[Node]:
    """Top-level nodes with their replies; deleted comments without live replies are left out."""
    nodes = {comment.id: Node(comment) for comment in comments}
    roots: list[Node] = []
    for comment in comments:  # ordered by id, so a parent comes before its replies
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        if parent is None:
            node.path = (comment.id,)
            roots.append(node)
        else:
            node.depth = parent.depth + 1
            node.path = (*parent.path, comment.id)
            parent.children.append(node)
    _prune_deleted(roots)
    return roots


def _prune_deleted(roots: list[Node]) -> None:
    """Drop deleted comments whose replies are all gone too (children before parents)."""
    order: list[tuple[Node | None, Node]] = []
    stack: list[tuple[Node | None, Node]] = [(None, node) for node in roots]
    while stack:
        parent, node = stack.pop()
        order.append((parent, node))
        stack.extend((node, child) for child in node.children)
    for parent, node in reversed(order):
        if node.comment.deleted_at is not None and not node.children:
            siblings = parent.children if parent else roots
            siblings.remove(node)


def flatten(roots: list[Node]) -> list[Node]:
    """Nodes in reading order (each comment followed by its replies)."""
    flat: list[Node] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        flat.append(node)
        stack.extend(reversed(node.children))
    return flat


def comment_data(comment: Comment, *, secretariat: bool = False) -> dict[str, Any]:
    """What a reader may know of one comment; hidden text only for the Secretariat."""
    state = state_of(comment)
    shown = state == "visible" or (state == "hidden" and secretariat)
    constituency = comment.constituency
    return {
        "id": comment.id,
        "section_id": comment.section_id,
        "parent_id": comment.parent_id,
        "root_id": comment.root_id,
        "state": state,
        "author": comment.author.display_name if state != "deleted" else None,
        "constituency": (
            {"slug": constituency.slug, "name": constituency.name}
            if constituency and state != "deleted"
            else None
        ),
        "stance": comment.stance.value if comment.stance and shown else None,
        "quote": comment.quote if shown else "",
        "body": comment.body if shown else "",
        "body_html": str(render_markdown(comment.body)) if shown else "",
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "hidden_reason": comment.hidden_reason if state == "hidden" else "",
        "resolved": comment.resolved_at is not None,
    }


def nested_data(roots: list[Node], *, secretariat: bool = False) -> list[dict[str, Any]]:
    """The tree as nested mappings, each with its ``replies``."""
    result: list[dict[str, Any]] = []
    stack: list[tuple[list[dict[str, Any]], Node]] = [(result, node) for node in reversed(roots)]
    while stack:
        siblings, node = stack.pop()
        item = comment_data(node.comment, secretariat=secretariat)
        item["depth"] = node.depth
        item["replies"] = []
        siblings.append(item)
        stack.extend((item["replies"], child) for child in reversed(node.children))
    return result


def unresolved_count(roots: list[Node]) -> int:
    """Top-level threads not yet marked resolved."""
    return sum(
        1 for node in roots if node.comment.resolved_at is None and node.comment.parent_id is None
    )
