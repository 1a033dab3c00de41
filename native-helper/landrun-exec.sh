#!/bin/sh
# landrun-exec PLAN [--] command [args...]
# Runs a command under a plan saved by `landrun --save-plan PLAN ...`, with the native launcher
# built for this machine (landlock-exec-x64 or landlock-exec-arm64, next to this script).
set -u

usage() {
	echo "usage: landrun-exec PLAN [--] command [args...]" >&2
	echo "runs the command under a plan written by 'landrun --save-plan PLAN ...'" >&2
}

case ${1-} in
'' ) usage; exit 2 ;;
-h | --help ) usage; exit 0 ;;
esac

# No fork where the shell can do without one (this runs before every sandboxed command): the
# machine from /proc (Linux >= 6.1), uname below that.
machine=
read -r machine </proc/sys/kernel/arch 2>/dev/null || machine=$(uname -m)
case $machine in
x86_64 | amd64) arch=x64 ;;
aarch64 | arm64) arch=arm64 ;;
*)
	echo "[landrun] error: landrun-exec: unsupported architecture '$machine' (landlock-exec is built for x86_64 and aarch64)" >&2
	exit 2
	;;
esac

# Where this script really is: npm links bins through symlinks.
self=$0
while [ -L "$self" ]; do
	link=$(readlink "$self")
	case $link in
	/*) self=$link ;;
	*) case $self in */*) self=${self%/*}/$link ;; *) self=$link ;; esac ;;
	esac
done
case $self in
*/*) dir=${self%/*} ;;
*) dir=. ;;
esac
bin=$dir/landlock-exec-$arch
if [ ! -x "$bin" ]; then
	echo "[landrun] error: landrun-exec: '$bin' is missing or not executable" >&2
	exit 2
fi

plan=$1
shift
if [ "${1-}" = "--" ]; then
	shift
fi
exec "$bin" --plan "$plan" -- "$@"
