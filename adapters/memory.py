"""The memory adapter: the whole core in-process for tests — push a command, pop the replies.

`MemoryPoster` implements the posting interface by recording what would have been sent.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field

from bot.commands.dispatch import handle
from bot.commands.parse import split_command
from bot.core import Core
from bot.daily.posting import Image
from bot.model import Command, Place, Reply


class MemoryAdapter:
    def __init__(
        self,
        core: Core,
        channel_id: str = "C1",
        workspace_id: str = "W1",
        poster: MemoryPoster | None = None,
    ) -> None:
        self.core = core
        self.place = Place("memory", channel_id, workspace_id)
        self.replies: deque[Reply] = deque()
        self.poster = poster  # what `channel test` posts through, as a platform's would

    async def push(self, text: str, user_id: str = "U1", is_admin: bool = False) -> list[Reply]:
        name, args = split_command(text)
        cmd = Command(name, args, user_id, user_id, is_admin, self.place)
        out = await handle(self.core, cmd, self.poster)
        self.replies.extend(out)
        return out

    def pop(self) -> Reply:
        return self.replies.popleft()


@dataclass
class Sent:
    kind: str  # "post" | "thread" | "reply" | "dm" | "edit" | "image"
    place: Place
    reply: Reply | None
    key: str
    message_id: str
    attempted: bool = True  # what the sender said: an earlier try may have reached us


@dataclass
class MemoryPoster:
    platform: str = "memory"
    sent: list[Sent] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _id(self) -> str:
        return f"m{next(self._ids)}"

    async def post(self, place: Place, reply: Reply, *, key: str, attempted: bool = True) -> str:
        mid = self._id()
        self.sent.append(Sent("post", place, reply, key, mid, attempted))
        return mid

    async def open_thread(self, place: Place, parent_message_id: str, name: str) -> Place:
        thread = Place(place.platform, place.channel_id, place.workspace_id, parent_message_id)
        self.sent.append(Sent("thread", thread, None, name, parent_message_id))
        return thread

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        mid = self._id()
        self.sent.append(Sent("reply", thread, reply, key, mid, attempted))
        return mid

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        mid = self._id()
        dm = Place(self.platform, f"dm:{user_id}", workspace_id)
        self.sent.append(Sent("dm", dm, reply, key, mid, attempted))
        return mid

    async def edit(self, place: Place, message_id: str, reply: Reply, *, key: str) -> None:
        self.sent.append(Sent("edit", place, reply, key, message_id))

    async def post_image(
        self, place: Place, reply: Reply, image: Image, *, key: str, attempted: bool = True
    ) -> str:
        mid = self._id()
        self.sent.append(Sent("image", place, reply, key, mid, attempted))
        self.images.append(image)
        return mid

    async def share_image(
        self, place: Place, parent_id: str, image: Image, *, key: str, attempted: bool
    ) -> str:
        return parent_id  # the image went with its parent (post_image)
