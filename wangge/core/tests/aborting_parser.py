"""A parsing child that dies by SIGABRT, as python-calamine's Rust side does when an allocation fails
(started instead of core.sheet_child by the tests)."""

import os

if __name__ == "__main__":
    os.abort()
