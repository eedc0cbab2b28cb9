"""What a process costs, read from /proc (Linux): CPU seconds (user + system) and resident memory."""

import os


class ProcessStats:
    def __init__(self, pid: int):
        self.pid = pid

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as stat:
            # The command name may hold spaces and parentheses: the fields start after its last ')'.
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kb(self) -> int:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def rss_mb(self) -> float:
        return self.rss_kb() / 1024
