#!/bin/busybox sh
# /init of the course's guest (Lab Virtualisasi): the first program the kernel runs from
# the initramfs, as process 1. It mounts the kernel's virtual filesystems and keeps a root
# shell on the console. Installed by scripts/guest/initramfs.mjs.

# Applet links are made at build time; this covers a build host that could not run the
# i386 busybox to list them.
[ -e /bin/mount ] || /bin/busybox --install -s

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs tmpfs /run
# cgroup v2, where a systemd distribution has it; labs enable controllers themselves.
mount -t cgroup2 cgroup2 /sys/fs/cgroup
hostname lab

export HOME=/root TERM=xterm PATH=/sbin:/usr/sbin:/bin:/usr/bin
cd /root

# lab-agent: a tiny guest agent on the second serial port (the browser PC's serial1, see
# src/guest/agent.ts for the line formats). Lines it reads:
#   winsize COLS ROWS  a serial line carries no window size, so the browser's terminal sends
#                      this when it is resized; the console gets that size (and SIGWINCH).
#   probe ID SCRIPT    a guided lab's check: SCRIPT (base64 of sh) runs out of band, never on
#                      the console nor in a shell history, and the answer is one line
#                      "probe ID STATUS BYTES OUTPUT": STATUS the exit code (T: killed at the
#                      time limit, E: SCRIPT was not base64), BYTES the output's length,
#                      OUTPUT its first PROBE_CAP bytes in base64 (any bytes survive).
# Where there is no second port (e.g. QEMU with one -serial), opening it fails and the
# agent does not start.
PROBE_SECONDS=10
PROBE_CAP=16384
PROBE_DIR=/run/lab-agent
# Every fork costs v86 milliseconds, so a probe uses few: builtins where they do.
probe() {
  if ! script=$(base64 -d <<EOF
$2
EOF
  ); then
    printf 'probe %s E 0 \n' "$1" >&3
    return
  fi
  # Its own session and process group (setsid), so the watchdog and the cleanup reach
  # everything the script started; fd 3 (this port) is closed so it cannot forge a reply.
  (cd /root && exec setsid sh -c "$script") </dev/null >"$PROBE_DIR/out" 2>&1 3<&- &
  pid=$!
  late=$PROBE_DIR/late-$1
  setsid sh -c 'sleep "$1"; : >"$2"; kill -KILL -"$3"' watchdog "$PROBE_SECONDS" "$late" "$pid" \
    </dev/null >/dev/null 2>&1 3<&- &
  dog=$!
  wait "$pid"
  status=$?
  # The watchdog by pid too: a quick script can end before the watchdog's setsid made its group.
  kill -KILL -"$dog" "$dog" -"$pid" 2>/dev/null
  if [ -e "$late" ]; then
    status=T
    rm -f "$late"
  fi
  bytes=$(($(wc -c <"$PROBE_DIR/out")))
  if [ "$bytes" -le "$PROBE_CAP" ]; then
    output=$(base64 -w 0 "$PROBE_DIR/out")
  else
    output=$(head -c "$PROBE_CAP" "$PROBE_DIR/out" | base64 -w 0)
  fi
  printf 'probe %s %s %s %s\n' "$1" "$status" "$bytes" "$output" >&3
  : >"$PROBE_DIR/out"
}
lab_agent() {
  exec 3<>/dev/ttyS1 || return 0
  stty raw -echo <&3 || return 0
  mkdir -p "$PROBE_DIR"
  while read -r verb a b <&3; do
    case "$verb" in
      winsize) stty -F /dev/ttyS0 cols "$a" rows "$b" ;;
      probe) probe "$a" "$b" ;;
    esac
  done
}
lab_agent 2>/dev/null &

# The shell runs as a child, in a session of its own with the console as controlling
# terminal (cttyhack), so Ctrl-C and job control work. Process 1 must never exit (the
# kernel would panic), so when the learner types `exit`, a new shell starts.
while true; do
  setsid cttyhack /bin/sh -l
  echo "(shell selesai / shell exited: memulai yang baru / starting a new one)"
done
