#!/bin/sh
# A one-node Slurm on this machine, for tests and for trying the slurm backend: munge + slurmctld + slurmd with
# their config, state, key and logs in one folder, no systemd needed (run as root).
#
#   eval "$(test/cluster/slurm-local.sh start [DIR])"   # prints `export SLURM_CONF=…`; waits until the node is idle
#   test/cluster/slurm-local.sh stop [DIR]              # ends exactly the daemons that start started (pid files)
#
# DIR defaults to $SIMLAB_SLURM_DIR or /tmp/simlab-slurm. Ports are chosen free at start, so two clusters can
# run side by side in different folders. The config makes faults fast for tests: KillWait=1, OverTimeLimit=0.
# SIMLAB_SLURM_CPUS sets the node's CPUs (default: nproc; more than the machine has oversubscribes it).
set -eu

cmd=${1:-}
dir=${2:-${SIMLAB_SLURM_DIR:-/tmp/simlab-slurm}}

die() { echo "slurm-local: $*" >&2; exit 1; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

stop_one() { # pidfile: TERM, wait up to 5 s, then KILL
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    i=0
    while alive "$pid" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

free_port() { # a free TCP port from $1 upwards
  p=$1
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}

start() {
  [ "$(id -u)" = 0 ] || die "run as root (the daemons run as root and munge)"
  for b in munged mungekey slurmctld slurmd sinfo; do
    command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || die "$b not found (apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge)"
  done
  [ -f "$dir/pids/slurmctld.pid" ] && alive "$(cat "$dir/pids/slurmctld.pid")" && die "a cluster already runs in $dir (stop it first)"
  rm -rf "$dir"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/pids"
  chmod 755 "$dir"
  runuser -u munge -- test -x "$dir/munge" || die "the munge user cannot reach $dir (make its parent folders world-searchable: chmod 755)"
  chown munge:munge "$dir/munge"
  chmod 700 "$dir/munge"

  # munge: its own key and socket, so it never meets a system munged.
  runuser -u munge -- /usr/sbin/mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 ||
    runuser -u munge -- sh -c "dd if=/dev/urandom of='$dir/munge/munge.key' bs=1024 count=1 2>/dev/null && chmod 600 '$dir/munge/munge.key'"
  sock="$dir/munge/munge.socket"
  setsid runuser -u munge -- /usr/sbin/munged -F -f --socket="$sock" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
    </dev/null >"$dir/log/munged.out" 2>&1 &
  echo $! >"$dir/pids/munged.pid"
  i=0
  while [ ! -S "$sock" ]; do
    [ $i -lt 100 ] || die "munged did not start (see $dir/munge/munged.log)"
    sleep 0.05; i=$((i + 1))
  done

  ctld_port=$(free_port 6817)
  slurmd_port=$(free_port $((ctld_port + 1)))
  cpus=${SIMLAB_SLURM_CPUS:-$(nproc)}
  cat >"$dir/slurm.conf" <<EOF
ClusterName=simlab
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd-%n
SlurmctldPidFile=$dir/state/slurmctld.pid
SlurmdPidFile=$dir/spool/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.log
MpiDefault=none
ReturnToService=2
KillWait=1
OverTimeLimit=0
MinJobAge=600
InactiveLimit=0
SchedulerType=sched/builtin
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  setsid slurmctld -D -i -f "$SLURM_CONF" </dev/null >"$dir/log/slurmctld.out" 2>&1 &
  echo $! >"$dir/pids/slurmctld.pid"
  setsid slurmd -D -N localhost -f "$SLURM_CONF" </dev/null >"$dir/log/slurmd.out" 2>&1 &
  echo $! >"$dir/pids/slurmd.pid"

  i=0
  while :; do
    state=$(sinfo -h -N -n localhost -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    if [ $i -ge 300 ]; then
      tail -n 5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 2>/dev/null || true
      stop
      die "the node is not idle after 30 s (state '${state}'; logs in $dir/log)"
    fi
    sleep 0.1; i=$((i + 1))
  done
  echo "export SLURM_CONF='$SLURM_CONF'"
  echo "export SIMLAB_SLURM_DIR='$dir'"
}

stop() {
  # Clients first (none), then the daemons in reverse order of start.
  stop_one "$dir/pids/slurmd.pid"
  stop_one "$dir/pids/slurmctld.pid"
  stop_one "$dir/munge/munged.pid" # munged's own pid (runuser forks it)
  stop_one "$dir/pids/munged.pid"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
