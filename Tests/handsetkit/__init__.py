"""The Python test kit shared by the end-to-end tests (`Tests/EndToEnd`) and the scripts (`scripts/`).

Import it with `Tests` on `sys.path` (`conftest.py` and the scripts put it there):

    from handsetkit import serve, wait_until, Device, Terminal, ProcessStats

- `serve(...)` starts `handset-cloud serve` and waits for the JSON its `--ready-file` holds once it listens (no
  scraping of its log); `ServedCloud.stop()` ends it.
- `Device`: one installation of `handset` (its own XDG directories) driven through its commands.
- `Terminal`: a tmux pane of a fixed size running one command, read back as text.
- `ProcessStats`: CPU seconds and resident memory of a process, from /proc.
- `wait_until`, `free_port`.
"""

from .cloud import ServedCloud, serve
from .device import Device, device_environment
from .procstats import ProcessStats
from .terminal import Terminal
from .waiting import free_port, wait_until

__all__ = ["ServedCloud", "serve", "Device", "device_environment", "ProcessStats", "Terminal", "free_port",
           "wait_until"]
