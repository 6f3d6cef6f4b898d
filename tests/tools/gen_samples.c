/*
 * gen_samples -- writes the project's own sample files, deterministically.
 *
 *   gen_samples DIR
 *
 * The samples (described in corpora/README.md) are the edge cases every
 * round-trip test and the demo use.  They are generated rather than
 * committed so that the tree holds no opaque binaries; the same program
 * always writes the same bytes (corpora/MANIFEST lists their SHA-256).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x6D647A2D73616D70ull;  /* "mdz-samp" */

static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "gen_samples: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return f;
}

static void close_out(FILE *f)
{
    if (ferror(f) || fclose(f) != 0) {
        fprintf(stderr, "gen_samples: write error\n");
        exit(1);
    }
}

static const char *pick(const char *const *list, size_t n)
{
    return list[rnd() % n];
}
#define PICK(a) pick(a, sizeof a / sizeof *a)

static void gen_text(FILE *f, size_t target)
{
    static const char *const words[] = {
        "the", "of", "and", "to", "a", "in", "that", "it", "was", "he",
        "for", "on", "are", "with", "as", "his", "they", "be", "at", "one",
        "have", "this", "from", "or", "had", "by", "word", "but", "what",
        "some", "we", "can", "out", "other", "were", "all", "there", "when",
        "up", "use", "your", "how", "said", "an", "each", "she", "which",
        "river", "garden", "letter", "morning", "question", "remember",
        "compression", "probability", "history", "Alice", "Rabbit", "Queen"
    };
    size_t n = 0, col = 0, sentence = 0;
    while (n < target) {
        const char *w = PICK(words);
        char buf[64];
        int k = snprintf(buf, sizeof buf, "%s", w);
        if (sentence == 0 && buf[0] >= 'a' && buf[0] <= 'z')
            buf[0] = (char)(buf[0] - 'a' + 'A');
        sentence++;
        if (col + (size_t)k > 70) {
            fputc('\n', f);
            n++;
            col = 0;
        } else if (col) {
            fputc(' ', f);
            n++;
            col++;
        }
        fputs(buf, f);
        n += (size_t)k;
        col += (size_t)k;
        if (sentence > 6 && rnd() % 5 == 0) {
            fputc(rnd() % 4 ? '.' : ',', f);
            n++;
            col++;
            sentence = 0;
        }
    }
    fputc('\n', f);
}

static void gen_log(FILE *f, size_t lines)
{
    static const char *const hosts[] = { "web-01", "web-02", "db-01", "cache-03" };
    static const char *const procs[] = { "sshd", "nginx", "kernel", "cron", "postgres" };
    static const char *const levels[] = { "INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG" };
    static const char *const msgs[] = {
        "Accepted publickey for deploy from %u.%u.%u.%u port %u ssh2",
        "GET /api/v1/items/%u HTTP/1.1 200 %u",
        "connection reset by peer %u.%u.%u.%u:%u",
        "checkpoint complete: wrote %u buffers (%u.%u%%)",
        "session opened for user root by (uid=%u) pid=%u",
        "Out of memory: Killed process %u (java) total-vm:%ukB",
        "request id=%u took %u ms"
    };
    unsigned t = 1700000000u;
    for (size_t i = 0; i < lines; i++) {
        t += rnd() % 3;
        unsigned s = t % 86400;
        fprintf(f, "2026-11-%02u %02u:%02u:%02u %s %s[%u]: %s ",
                1 + (t / 86400) % 28, s / 3600, s / 60 % 60, s % 60,
                PICK(hosts), PICK(procs), 1000 + rnd() % 50, PICK(levels));
        fprintf(f, PICK(msgs), 10 + rnd() % 240, rnd() % 256, rnd() % 256,
                rnd() % 256, 1024 + rnd() % 60000);
        fputc('\n', f);
    }
}

/* Fixed-size little-endian records with slowly varying fields. */
static void gen_binary(FILE *f, size_t records)
{
    uint32_t id = 1000, value = 50000;
    for (size_t i = 0; i < records; i++) {
        uint8_t r[16];
        id += 1 + rnd() % 3;
        value += (rnd() % 201) - 100;
        for (int k = 0; k < 4; k++) {
            r[k] = (uint8_t)(id >> (8 * k));
            r[4 + k] = (uint8_t)(value >> (8 * k));
        }
        r[8] = (uint8_t)(rnd() % 4);
        r[9] = 0;
        r[10] = r[11] = 0xFF;
        uint32_t noise = rnd();
        memcpy(r + 12, &noise, 4);
        fwrite(r, 1, sizeof r, f);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_samples DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    FILE *f;

    close_out(open_out(dir, "empty"));

    f = open_out(dir, "one-byte");
    fputc('A', f);
    close_out(f);

    f = open_out(dir, "run-1m");
    for (int i = 0; i < 1 << 20; i++)
        fputc('a', f);
    close_out(f);

    f = open_out(dir, "random-64k");
    for (int i = 0; i < 1 << 16; i++)
        fputc((int)(rnd() >> 24), f);
    close_out(f);

    f = open_out(dir, "all-bytes");
    for (int rep = 0; rep < 4; rep++)
        for (int i = 0; i < 256; i++)
            fputc(rep & 1 ? 255 - i : i, f);
    close_out(f);

    f = open_out(dir, "records.bin");
    gen_binary(f, 16384);
    close_out(f);

    f = open_out(dir, "text.txt");
    gen_text(f, 200000);
    close_out(f);

    f = open_out(dir, "syslog.log");
    gen_log(f, 12000);
    close_out(f);
    return 0;
}
