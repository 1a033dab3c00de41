/*
 * Races the supervisor's check of a connect(2) address: one thread connects again and again
 * with a sockaddr that another thread keeps flipping between a loopback address and another
 * host's. Prints "loopback N other M failed K": how many connects reached which address (by the
 * peer address of the connected socket) and how many failed.
 *
 *   connect-race LOOPBACK_PORT OTHER_ADDR OTHER_PORT ROUNDS
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in shared; /* what connect(2) reads */
static struct sockaddr_in a, b;
static atomic_int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		memcpy((void *)&shared, &b, sizeof b);
		memcpy((void *)&shared, &a, sizeof a);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	a = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	b = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3]))};
	inet_pton(AF_INET, argv[2], &b.sin_addr);
	shared = a;
	pthread_t t;
	pthread_create(&t, NULL, flipper, NULL);
	int rounds = atoi(argv[4]), loop = 0, other = 0, failed = 0;
	for (int i = 0; i < rounds; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(s, (struct sockaddr *)&shared, sizeof shared) == 0) {
			struct sockaddr_in peer;
			socklen_t len = sizeof peer;
			getpeername(s, (struct sockaddr *)&peer, &len);
			if (peer.sin_addr.s_addr == a.sin_addr.s_addr)
				loop++;
			else
				other++;
		} else {
			failed++;
		}
		close(s);
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("loopback %d other %d failed %d\n", loop, other, failed);
	return 0;
}
