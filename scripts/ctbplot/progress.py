# SPDX-License-Identifier: GPL-2.0
"""Progress on stderr when stderr is a terminal (issue 21):

  [3/13] tlb_crossover.png  00:04 elapsed, ~00:10 left

one line, rewritten in place; nothing at all when stderr is not a TTY
(CI logs stay clean).  CTBPLOT_PROGRESS=0/1 overrides the TTY test."""

import os
import sys
import time

# the line being shown, so note() can clear it before printing a message
_shown = [False]


def clear_line():
    if _shown[0]:
        sys.stderr.write("\r\033[K")
        _shown[0] = False


def hms(sec):
    sec = int(sec + 0.5)
    if sec >= 3600:
        return "%d:%02d:%02d" % (sec // 3600, sec // 60 % 60, sec % 60)
    return "%02d:%02d" % (sec // 60, sec % 60)


class Progress:
    def __init__(self, total, stream=None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        force = os.environ.get("CTBPLOT_PROGRESS")
        if force in ("0", "1"):
            self.on = force == "1"
        else:
            try:
                self.on = self.stream.isatty()
            except (AttributeError, ValueError):
                self.on = False
        self.total = max(total, 1)
        self.done = 0
        self.clock = clock
        self.t0 = clock()

    def step(self, what):
        """Announce the next item (the one about to be made)."""
        self.done += 1
        if not self.on:
            return
        el = self.clock() - self.t0
        txt = "[%d/%d] %s  %s elapsed" % (min(self.done, self.total),
                                          self.total, what, hms(el))
        if self.done > 1:
            left = el / (self.done - 1) * max(self.total - self.done + 1, 0)
            txt += ", ~%s left" % hms(left)
        self.stream.write("\r\033[K" + txt)
        self.stream.flush()
        _shown[0] = True

    def finish(self):
        if self.on:
            self.stream.write("\r\033[K[%d/%d] done  %s elapsed\n" % (
                self.done, self.total, hms(self.clock() - self.t0)))
            self.stream.flush()
            _shown[0] = False
