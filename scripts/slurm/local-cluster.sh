#!/usr/bin/env bash
# A one-node Slurm cluster on this host, for testing the job-array scripts without a real cluster.
# Debian 12 (Slurm 22.05), as root, without systemd: every daemon is started by hand.
#
#   scripts/slurm/local-cluster.sh [start]   install munge/slurm if missing, configure, start, wait until idle
#   scripts/slurm/local-cluster.sh stop      kill slurmd, slurmctld (and munged, if this script started it)
#   scripts/slurm/local-cluster.sh status    sinfo
#
# Running `start` twice is harmless: daemons already running are left alone.
#
# It writes /etc/slurm/slurm.conf and /etc/slurm/cgroup.conf, but only when they are absent or were
# written by this script (first line below), so a real cluster's configuration is never overwritten.
# State lives in $SLURM_LOCAL_DIR (default /var/spool/slurm-local): ctld/ and d/ spools, log/, run/.
# No accounting (no slurmdbd): use squeue and the job's output files, not sacct.
set -euo pipefail

MARK="# Written by trickbench scripts/slurm/local-cluster.sh (one-node test cluster)."
base="${SLURM_LOCAL_DIR:-/var/spool/slurm-local}"
conf_dir=/etc/slurm
conf="$conf_dir/slurm.conf"
cgroup_conf="$conf_dir/cgroup.conf"
timeout_s="${SLURM_LOCAL_TIMEOUT:-90}"
host="$(hostname -s)"

say() { echo "local-cluster: $*" >&2; }
die() { say "error: $*"; exit 1; }

# Whether the pid in file $1 is a live process named $2 (a stale file may name a reused pid).
alive() {
  local pid
  [ -s "$1" ] || return 1
  pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}

install_packages() {
  local missing=()
  command -v munged >/dev/null || missing+=(munge)
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  # The packages' maintainer scripts try to start the services; without systemd that just fails quietly.
  apt-get install -y -q "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; } \
    || die "apt-get install ${missing[*]} failed"
}

start_munge() {
  if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    return 0 # a munged is already answering (ours from an earlier start, or the system's)
  fi
  local key=/etc/munge/munge.key
  if [ ! -s "$key" ]; then
    say "creating $key"
    install -d -o munge -g munge -m 0700 /etc/munge
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile="$key" --force
    else
      dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
    fi
    chown munge:munge "$key"
    chmod 0400 "$key"
  fi
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  # A stale socket or pid file from a killed munged makes a new one refuse to start.
  rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock /run/munge/munged.pid
  say "starting munged"
  runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
  for _ in $(seq 1 50); do
    if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
      cp /run/munge/munged.pid "$base/run/munged.pid" # so that `stop` only kills a munged we started
      return 0
    fi
    sleep 0.2
  done
  die "munged did not start (see /var/log/munge/munged.log)"
}

write_config() {
  if [ -f "$conf" ] && ! head -n 1 "$conf" | grep -qxF "$MARK"; then
    die "$conf exists and was not written by this script; refusing to overwrite a real cluster's configuration"
  fi
  local cpus mem
  cpus="$(nproc)"
  mem="$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -n 1)"
  [ -n "$mem" ] || die "could not read RealMemory from 'slurmd -C'"
  # A little below what slurmd measures: a node that reports less memory than configured is drained.
  mem=$((mem * 95 / 100))
  install -d -m 0755 "$conf_dir"
  local tmp="$conf.tmp.$$"
  cat >"$tmp" <<EOF
$MARK
ClusterName=trickbench-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$base/ctld
SlurmdSpoolDir=$base/d
SlurmctldPidFile=$base/run/slurmctld.pid
SlurmdPidFile=$base/run/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  if ! cmp -s "$tmp" "$conf"; then
    mv "$tmp" "$conf"
    config_changed=1
  else
    rm -f "$tmp"
  fi
  # slurmd 22.05 loads a cgroup plugin at start even with proctrack/linuxproc and task/none. The default,
  # autodetect, picks cgroup/v2 on cgroup-v2 hosts, and that one needs systemd over D-Bus; cgroup/v1 loads
  # without either, and with these two plugins nothing ever asks it to create a cgroup.
  if [ -f "$cgroup_conf" ] && ! head -n 1 "$cgroup_conf" | grep -qxF "$MARK"; then
    say "keeping existing $cgroup_conf"
  else
    printf '%s\nCgroupPlugin=cgroup/v1\n' "$MARK" >"$cgroup_conf.tmp.$$"
    mv "$cgroup_conf.tmp.$$" "$cgroup_conf"
  fi
}

node_state() { sinfo -h -N -n "$host" -o '%T' 2>/dev/null | head -n 1; }

start() {
  [ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts daemons)"
  install_packages
  install -d -m 0755 "$base" "$base/ctld" "$base/d" "$base/log" "$base/run"
  start_munge
  config_changed=0
  write_config
  if alive "$base/run/slurmctld.pid" slurmctld; then
    if [ "$config_changed" = 1 ]; then
      say "configuration changed: scontrol reconfigure"
      scontrol reconfigure || true
    fi
  else
    say "starting slurmctld (log $base/log/slurmctld.log)"
    slurmctld
  fi
  # slurmctld must answer before slurmd registers with it.
  local deadline=$((SECONDS + timeout_s))
  until scontrol ping 2>/dev/null | grep -q 'is UP'; do
    [ $SECONDS -lt $deadline ] || die "slurmctld did not come up in ${timeout_s}s; see $base/log/slurmctld.log"
    sleep 0.5
  done
  if ! alive "$base/run/slurmd.pid" slurmd; then
    say "starting slurmd (log $base/log/slurmd.log)"
    slurmd
  fi
  local state resumed=0
  while :; do
    state="$(node_state)"
    case "$state" in
      idle|mixed|allocated) break ;;
      down*|drain*|fail*)
        # Left down by an earlier run (e.g. killed daemons); ReturnToService=2 covers most cases, this the rest.
        if [ "$resumed" = 0 ] && alive "$base/run/slurmd.pid" slurmd; then
          scontrol update NodeName="$host" State=RESUME 2>/dev/null || true
          resumed=1
        fi ;;
    esac
    [ $SECONDS -lt $deadline ] || die "node $host is '${state:-absent}' after ${timeout_s}s, not idle; see $base/log/slurmd.log and $base/log/slurmctld.log"
    sleep 0.5
  done
  say "node $host is $state"
  sinfo
}

# Kill the daemon in pid file $1 and wait (bounded) for it to go.
stop_one() {
  local pidfile=$1 name=$2 pid
  alive "$pidfile" "$name" || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  say "stopping $name ($pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    sleep 0.2
  done
  say "$name ($pid) did not stop in 10s: killing it"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

stop() {
  stop_one "$base/run/slurmd.pid" slurmd
  stop_one "$base/run/slurmctld.pid" slurmctld
  stop_one "$base/run/munged.pid" munged
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
