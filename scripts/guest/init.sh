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
hostname lab

export HOME=/root TERM=xterm PATH=/sbin:/usr/sbin:/bin:/usr/bin
cd /root

# lab-agent: a tiny guest agent on the second serial port. A serial line carries no window
# size, so the browser's terminal sends "winsize COLS ROWS" lines here when it is resized,
# and the agent sets the console's size (the shell and full-screen programs get SIGWINCH).
# Where there is no second port (e.g. QEMU with one -serial), opening it fails and the
# agent does not start.
lab_agent() {
  exec 3<>/dev/ttyS1 || return 0
  stty raw -echo <&3 || return 0
  while read -r verb cols rows <&3; do
    case "$verb" in
      winsize) stty -F /dev/ttyS0 cols "$cols" rows "$rows" ;;
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
