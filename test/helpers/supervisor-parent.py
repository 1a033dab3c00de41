# A stand-in for the supervisor's parent (the Action, landrun-shell, the CLI): a multi-threaded
# process the sandboxed command attacks. It records every signal it receives and writes what the
# command needs to aim at it, then runs the supervisor and reports whether it survived unharmed.
#
#   python3 supervisor-parent.py INFO_FILE RESULT_FILE -- command...
#
# INFO_FILE gets "PID THREAD_TID PGID" before the command starts; RESULT_FILE gets one JSON line
# when the command has ended (it is never written if this process was killed or stopped). File
# descriptors 3 and 4, when open, are passed on to the command (the supervisor's report and
# control pipes).
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time

info_file, result_file = sys.argv[1], sys.argv[2]
cmd = sys.argv[4:] if sys.argv[3] == '--' else sys.argv[3:]

got = []
for s in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGIO, signal.SIGURG, signal.SIGXCPU):
    signal.signal(s, lambda n, f: got.append(signal.Signals(n).name))

tids = []
stop = threading.Event()


def worker():
    tids.append(threading.get_native_id())
    stop.wait()


t = threading.Thread(target=worker, daemon=True)
t.start()
while not tids:
    time.sleep(0.005)

limits_before = resource.getrlimit(resource.RLIMIT_MSGQUEUE), resource.getrlimit(resource.RLIMIT_CPU)
tmp = info_file + '.tmp'
with open(tmp, 'w') as f:
    f.write(f'{os.getpid()} {tids[0]} {os.getpgid(0)}\n')
os.chmod(tmp, 0o644)
os.rename(tmp, info_file)

passed = ()
for fd in (3, 4):
    try:
        os.fstat(fd)
        passed += (fd,)
    except OSError:
        pass

try:
    r = subprocess.run(cmd, pass_fds=passed)
finally:
    # also when the command cannot start: this process must end, never wait on its thread
    stop.set()
    t.join()
limits_after = resource.getrlimit(resource.RLIMIT_MSGQUEUE), resource.getrlimit(resource.RLIMIT_CPU)
with open(result_file, 'w') as f:
    f.write(json.dumps({
        'alive': True,
        'signals': got,
        'status': r.returncode,
        'limitsKept': limits_before == limits_after,
    }) + '\n')
