/*
 * A command that tries to take the supervisor's place: it installs a seccomp filter of its own
 * that sends connect(2) to its own listener (the newest filter's listener gets the
 * notification), answers every notification with "continue" from a child process, and then
 * connects to ADDR PORT. Prints one line: "seccomp: <errno text>" when the filter is refused, or
 * "connect: ok" / "connect: <errno text>".
 *
 *   steal-listener ADDR PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_connect, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = 4, .filter = f};
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0) {
		printf("seccomp: %s\n", strerror(errno));
		return 0;
	}
	pid_t helper = fork();
	if (helper == 0) {
		for (;;) {
			struct seccomp_notif req;
			struct seccomp_notif_resp resp;
			memset(&req, 0, sizeof req);
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0)
				_exit(0);
			memset(&resp, 0, sizeof resp);
			resp.id = req.id;
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		}
	}
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
	inet_pton(AF_INET, argv[1], &sin.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int r = connect(s, (struct sockaddr *)&sin, sizeof sin);
	printf("connect: %s\n", r == 0 ? "ok" : strerror(errno));
	kill(helper, SIGKILL);
	return 0;
}
