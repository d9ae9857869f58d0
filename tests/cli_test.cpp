// The lmzip program, run through /bin/sh in a fresh directory per test:
// gzip-style file handling, and every error case with its message and exit
// status (1), leaving no partial output and never removing the input.
#include <gtest/gtest.h>

#include <set>

#include <regex>
#include <unistd.h>

#include <sstream>

#include "test_util.h"

namespace lmzip::test {
namespace {

using Names = std::vector<std::string>;

// Level 0 (order2): these tests are about file handling, and the default
// transformer would make them slow (the levels have their own tests below).
const std::string L = lmzip_cli() + " -0";

// 20 KB of text, as a file in `dir`.
Bytes put_text(const TempDir& dir, const std::string& name, size_t n = 20000, uint64_t seed = 1) {
  Bytes b = text_like(n, seed);
  write_bytes(dir.file(name), b);
  return b;
}

Bytes decoded(const std::string& path) {
  const Decoded d = decompress_bytes(read_bytes(path));
  EXPECT_TRUE(d.status.ok()) << path << ": " << d.status.message();
  return d.out;
}

TEST(Cli, CompressReplacesInputWithLmz) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  chmod(dir.file("a.txt").c_str(), 0640);
  const RunResult r = shell(dir, L + " a.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt.lmz"});
  EXPECT_EQ(decoded(dir.file("a.txt.lmz")), text);
  struct stat st {};
  ASSERT_EQ(stat(dir.file("a.txt.lmz").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u) << "the output keeps the input's permissions";
}

TEST(Cli, KeepKeepsInput) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  const RunResult r = shell(dir, L + " -k a.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt", "a.txt.lmz"}));
  EXPECT_EQ(read_bytes(dir.file("a.txt")), text);
  EXPECT_EQ(decoded(dir.file("a.txt.lmz")), text);
}

TEST(Cli, DecompressRestoresByteExact) {
  TempDir dir;
  Bytes data = put_text(dir, "a.txt", 50000);
  const Bytes noise = random_bytes(7000, 3);
  data.insert(data.begin() + 20000, noise.begin(), noise.end());
  write_bytes(dir.file("a.txt"), data);
  RunResult r = shell(dir, L + " --chunk-size 4096 a.txt");
  ASSERT_EQ(r.code, 0) << r;
  r = shell(dir, L + " -d a.txt.lmz");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt"});
  EXPECT_EQ(read_bytes(dir.file("a.txt")), data);
  // The decompress subcommand spelling of gzip: --decompress.
  ASSERT_EQ(shell(dir, L + " -k a.txt && rm a.txt && " + L + " --decompress -k a.txt.lmz").code, 0);
  EXPECT_EQ(read_bytes(dir.file("a.txt")), data);
}

TEST(Cli, StdoutFlag) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  RunResult r = shell(dir, L + " -c a.txt > out.lmz");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt", "out.lmz"}));
  EXPECT_EQ(decoded(dir.file("out.lmz")), text);
  r = shell(dir, L + " -dc out.lmz > back");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir.file("back")), text);
  EXPECT_TRUE(path_exists(dir.file("out.lmz")));
  // Several files with -c: concatenated frames, which decode to the concatenation.
  put_text(dir, "b.txt", 3000, 2);
  r = shell(dir, L + " -c a.txt b.txt > ab.lmz && " + L + " -dc ab.lmz > ab && cat a.txt b.txt | cmp - ab");
  EXPECT_EQ(r.code, 0) << r;
}

TEST(Cli, OutputFlag) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  RunResult r = shell(dir, L + " -o z.lmz a.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt", "z.lmz"})) << "-o keeps the input, as gzip's -c > z would";
  r = shell(dir, L + " -d --rm -o plain z.lmz");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt", "plain"})) << "--rm removes it";
  EXPECT_EQ(read_bytes(dir.file("plain")), text);
  r = shell(dir, L + " -k -o sub.lmz plain && rm a.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(dir_names(dir.path()), (Names{"plain", "sub.lmz"}));

  r = shell(dir, L + " -o x.lmz plain sub.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: -o takes one input file\n");
  r = shell(dir, L + " -c -o x.lmz plain");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: -o and -c cannot be combined\n");
  EXPECT_EQ(dir_names(dir.path()), (Names{"plain", "sub.lmz"}));
}

TEST(Cli, ForceNeededToOverwrite) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  write_text(dir.file("a.txt.lmz"), "old");
  RunResult r = shell(dir, L + " a.txt");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: a.txt.lmz: already exists; not overwritten (use -f to force)\n");
  EXPECT_EQ(read_text(dir.file("a.txt.lmz")), "old");
  EXPECT_EQ(read_bytes(dir.file("a.txt")), text);
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt", "a.txt.lmz"}));

  // -o onto an existing file.
  write_text(dir.file("other"), "keep me");
  r = shell(dir, L + " -k -o other a.txt");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: other: already exists; not overwritten (use -f to force)\n");
  EXPECT_EQ(read_text(dir.file("other")), "keep me");

  r = shell(dir, L + " -f a.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt.lmz", "other"}));
  EXPECT_EQ(decoded(dir.file("a.txt.lmz")), text);

  // Decompressing onto an existing file.
  write_text(dir.file("a.txt"), "old text");
  r = shell(dir, L + " -d a.txt.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: a.txt: already exists; not overwritten (use -f to force)\n");
  EXPECT_EQ(read_text(dir.file("a.txt")), "old text");
  EXPECT_TRUE(path_exists(dir.file("a.txt.lmz")));
  r = shell(dir, L + " -d -f a.txt.lmz");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir.file("a.txt")), text);
  EXPECT_TRUE(temp_leftovers(dir.path()).empty());
}

// Issue 15, failure 1: -f -o naming the input (by any path) replaced the file
// and then removed "the input", losing both. Every spelling is refused before
// anything is written or removed.
TEST(Cli, OutputNamingTheInputIsRefused) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  ASSERT_EQ(mkdir(dir.file("sub").c_str(), 0755), 0);
  ASSERT_EQ(symlink("a.txt", dir.file("sym").c_str()), 0);
  ASSERT_EQ(link(dir.file("a.txt").c_str(), dir.file("hard").c_str()), 0);
  for (const std::string& out : std::vector<std::string>{"a.txt", "./a.txt", "sub/../a.txt", "sym", "hard", dir.file("a.txt")}) {
    const RunResult r = shell(dir, L + " -f -o " + out + " a.txt");
    EXPECT_EQ(r.code, 1) << out << ": " << r;
    EXPECT_EQ(r.err, "lmzip: " + out + ": is the input file; not overwritten\n") << out;
    EXPECT_EQ(read_bytes(dir.file("a.txt")), text) << out;
    EXPECT_TRUE(temp_leftovers(dir.path()).empty()) << out;
  }
  ASSERT_EQ(unlink(dir.file("sym").c_str()), 0);
  ASSERT_EQ(unlink(dir.file("hard").c_str()), 0);
  ASSERT_EQ(rmdir(dir.file("sub").c_str()), 0);

  // The other direction: decompressing a frame onto itself.
  ASSERT_EQ(shell(dir, L + " a.txt").code, 0);
  const Bytes frame = read_bytes(dir.file("a.txt.lmz"));
  for (const std::string out : {"a.txt.lmz", "./a.txt.lmz"}) {
    const RunResult r = shell(dir, L + " -d -f -o " + out + " a.txt.lmz");
    EXPECT_EQ(r.code, 1) << out << ": " << r;
    EXPECT_EQ(read_bytes(dir.file("a.txt.lmz")), frame) << out;
  }
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt.lmz"});
  EXPECT_EQ(decoded(dir.file("a.txt.lmz")), text);
}

TEST(Cli, StdinToStdout) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  RunResult r = shell(dir, L + " < a.txt > a.lmz");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(decoded(dir.file("a.lmz")), text);
  r = shell(dir, "cat a.lmz | " + L + " -d > back");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir.file("back")), text);
  // "-" names standard input.
  r = shell(dir, "cat a.txt | " + L + " - | " + L + " -d - > back2");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir.file("back2")), text);
  // Empty input: a valid frame with no chunks, decoding to nothing.
  r = shell(dir, L + " < /dev/null > e.lmz && " + L + " -d < e.lmz > e");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(read_bytes(dir.file("e")).empty());
  EXPECT_FALSE(read_bytes(dir.file("e.lmz")).empty());
  // Garbage on stdin.
  r = shell(dir, L + " -d < a.txt > out");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: (stdin): not an lmzip file (wrong magic bytes at offset 0)\n");
}

TEST(Cli, TestGoodAndBadFiles) {
  TempDir dir;
  put_text(dir, "a.txt");
  ASSERT_EQ(shell(dir, L + " --no-adaptive --chunk-size 4096 a.txt").code, 0);  // a version 1 frame, parsed below
  RunResult r = shell(dir, L + " -t a.txt.lmz");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  r = shell(dir, L + " -tv a.txt.lmz");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "a.txt.lmz: OK\n");
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt.lmz"}) << "-t writes nothing";

  Bytes b = read_bytes(dir.file("a.txt.lmz"));
  const auto f = layout_parse(b)[0];
  Bytes damaged = b;
  damaged[f.records[2].payload_offset + 10] ^= 0x80;
  write_bytes(dir.file("bad.lmz"), damaged);
  r = shell(dir, L + " -t bad.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: bad.lmz: corrupt input: checksum mismatch in chunk 2 (content bytes 8192 ..)\n");
  write_bytes(dir.file("short.lmz"), Bytes(b.begin(), b.end() - 3));
  r = shell(dir, L + " -t short.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: short.lmz: truncated input: the file ends inside the frame end at offset " +
                       std::to_string(b.size() - 3) + "\n");
  // Several files: the good one passes, the status reports the failure.
  r = shell(dir, L + " -t a.txt.lmz bad.lmz a.txt.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: bad.lmz: corrupt input: checksum mismatch in chunk 2 (content bytes 8192 ..)\n");
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt.lmz", "bad.lmz", "short.lmz"}));
}

// Splits on white space.
std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string s; in >> s;) w.push_back(s);
  return w;
}

TEST(Cli, ListShowsSizesRatioModelAndChunks) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt", 3000);
  ASSERT_EQ(shell(dir, L + " --chunk-size 1024 a.txt").code, 0);
  const size_t compressed = read_bytes(dir.file("a.txt.lmz")).size();
  RunResult r = shell(dir, L + " -l a.txt.lmz");
  ASSERT_EQ(r.code, 0) << r;
  std::istringstream lines(r.out);
  std::string header, line, extra;
  std::getline(lines, header);
  std::getline(lines, line);
  EXPECT_FALSE(std::getline(lines, extra)) << r.out;
  EXPECT_EQ(words(header), (Names{"compressed", "original", "ratio", "chunks", "stored", "model", "layout", "name"}));
  const auto w = words(line);
  ASSERT_EQ(w.size(), 8u) << r.out;
  EXPECT_EQ(w[0], std::to_string(compressed));
  EXPECT_EQ(w[1], "3000");
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.2f%%", 100.0 * static_cast<double>(compressed) / 3000.0);
  EXPECT_EQ(w[2], ratio);
  EXPECT_EQ(w[3], "3");  // 1024 + 1024 + 952
  EXPECT_EQ(w[4], "0");
  EXPECT_EQ(w[5], "order2");
  EXPECT_EQ(w[6], "bytes");
  EXPECT_EQ(w[7], "a.txt.lmz");
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt.lmz"});

  // Random data is stored; two frames add up; stdin is listed too.
  write_bytes(dir.file("r"), random_bytes(2500, 4));
  ASSERT_EQ(shell(dir, L + " --chunk-size 1000 -c r >> a.txt.lmz").code, 0);
  r = shell(dir, L + " -l < a.txt.lmz");
  ASSERT_EQ(r.code, 0) << r;
  std::istringstream lines2(r.out);
  std::getline(lines2, header);
  std::getline(lines2, line);
  const auto w2 = words(line);
  ASSERT_EQ(w2.size(), 8u) << r.out;
  EXPECT_EQ(w2[0], std::to_string(read_bytes(dir.file("a.txt.lmz")).size()));
  EXPECT_EQ(w2[1], "5500");
  EXPECT_EQ(w2[3], "6");
  EXPECT_EQ(w2[4], "3");
  EXPECT_EQ(w2[7], "(stdin)");
}

TEST(Cli, ThreadCountDoesNotChangeOutput) {
  TempDir dir;
  // About 1 MB (256 KB under the sanitizers, with smaller chunks), text with
  // random stretches: many chunks of both modes.
  const size_t size = kSanitized ? (256u << 10) : (1u << 20);
  const std::string chunk = kSanitized ? "16384" : "65536";
  Bytes data;
  for (uint64_t i = 0; data.size() < size; ++i) {
    const Bytes part = i % 4 == 3 ? random_bytes(50000, i) : text_like(90000, i);
    data.insert(data.end(), part.begin(), part.end());
  }
  write_bytes(dir.file("in"), data);
  RunResult r = shell(dir, L + " --chunk-size " + chunk + " -T 1 -c in > t1.lmz && " + L +
                               " --chunk-size " + chunk + " -T 2 -c in > t2.lmz && " + L +
                               " --chunk-size " + chunk + " -T 7 -c in > t7.lmz");
  ASSERT_EQ(r.code, 0) << r;
  const Bytes t1 = read_bytes(dir.file("t1.lmz"));
  EXPECT_LT(t1.size(), data.size() * 3 / 4);
  EXPECT_EQ(t1, read_bytes(dir.file("t2.lmz")));
  EXPECT_EQ(t1, read_bytes(dir.file("t7.lmz")));
  r = shell(dir, L + " -T 2 -dc t1.lmz > o2 && " + L + " -T 1 -dc t1.lmz > o1");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir.file("o1")), data);
  EXPECT_EQ(read_bytes(dir.file("o2")), data);
}

TEST(Cli, HelpAndVersion) {
  TempDir dir;
  RunResult r = shell(dir, L + " --help");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r;
  for (const char* opt : {"-d", "-c", "-k", "-f", "-o", "-t", "-l", "-T", "-v", "-q", "--version"})
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
  r = shell(dir, L + " --version");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, std::string("lmzip ") + version_string() + "\n");
  r = shell(dir, L + " -V");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, std::string("lmzip ") + version_string() + "\n");
  r = shell(dir, L + " --no-such-option");
  EXPECT_NE(r.code, 0) << r;
  EXPECT_NE(r.err.find("--no-such-option"), std::string::npos) << r;
  r = shell(dir, L + " -d -t x");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: choose only one of -d, -t, -l\nTry 'lmzip --help' for more information.\n");
  EXPECT_TRUE(dir_names(dir.path()).empty());
}

TEST(Cli, DirectoryArgument) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("somedir"));
  for (const char* flags : {"", "-d ", "-t ", "-c ", "-l "}) {
    const RunResult r = shell(dir, L + " " + flags + "somedir");
    EXPECT_EQ(r.code, 2) << flags << r << "a warning, as gzip's";
    EXPECT_EQ(r.err, "lmzip: somedir: is a directory -- ignored (use -r to go into it)\n") << flags;
  }
  EXPECT_EQ(dir_names(dir.path()), Names{"somedir"});
  EXPECT_TRUE(dir_names(dir.file("somedir")).empty());
}

TEST(Cli, MissingFile) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  RunResult r = shell(dir, L + " nope.txt");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: nope.txt: No such file or directory\n");
  // A missing file among good ones: the others are done, the status is 1.
  put_text(dir, "b.txt", 100, 2);
  r = shell(dir, L + " a.txt nope.txt b.txt");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: nope.txt: No such file or directory\n");
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt.lmz", "b.txt.lmz"}));
  r = shell(dir, L + " -d nope.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: nope.lmz: No such file or directory\n");
  // A path through a regular file.
  r = shell(dir, L + " a.txt.lmz/x");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: a.txt.lmz/x: Not a directory\n");
}

// Tests run as root, where chmod 000 does not stop reads. Two checks that
// work anyway: a read that fails after a successful open (/proc/self/mem at
// offset 0 is unmapped: EIO), and, when setpriv(1) is there, the program run
// as user nobody on a chmod 000 file and into a read-only directory.
TEST(Cli, UnreadableInput) {
  TempDir dir;
  RunResult r = shell(dir, L + " -c /proc/self/mem > out");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: /proc/self/mem: cannot read /proc/self/mem: Input/output error\n");
  r = shell(dir, L + " -t /proc/self/mem");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: /proc/self/mem: cannot read /proc/self/mem: Input/output error\n");
  // Not a regular file, without -c.
  ASSERT_EQ(mkfifo(dir.file("fifo").c_str(), 0644), 0);
  r = shell(dir, L + " fifo");
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_EQ(r.err, "lmzip: fifo: is not a regular file -- ignored (use -f to read it)\n");
  EXPECT_EQ(dir_names(dir.path()), (Names{"fifo", "out"}));
}

TEST(Cli, PermissionDenied) {
  if (access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "no setpriv";
  TempDir dir;
  const std::string as_nobody = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  chmod(dir.root().c_str(), 0755);
  chmod(dir.path().c_str(), 0777);
  const Bytes text = put_text(dir, "secret");
  chmod(dir.file("secret").c_str(), 0);
  RunResult r = shell(dir, as_nobody + L + " -k secret");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: secret: Permission denied\n");
  r = shell(dir, as_nobody + L + " -c secret > out");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: secret: Permission denied\n");
  EXPECT_EQ(dir_names(dir.path()), (Names{"out", "secret"}));
  EXPECT_EQ(read_bytes(dir.file("secret")), text);

  // An output directory the user cannot write.
  std::filesystem::create_directory(dir.file("ro"));
  put_text(dir, "ro/a", 500);
  chmod(dir.file("ro/a").c_str(), 0644);
  chmod(dir.file("ro").c_str(), 0555);
  r = shell(dir, as_nobody + L + " ro/a");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: ro/a.lmz: cannot create output: Permission denied\n");
  EXPECT_EQ(dir_names(dir.file("ro")), Names{"a"});
  chmod(dir.file("ro").c_str(), 0755);
}

TEST(Cli, WrongSuffix) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt");
  RunResult r = shell(dir, L + " -d a.txt");
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_EQ(r.err, "lmzip: a.txt: unknown suffix (expected .lmz) -- ignored\n");
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt"});
  EXPECT_EQ(read_bytes(dir.file("a.txt")), text);
  // Compressing a .lmz again is refused too, unless forced.
  ASSERT_EQ(shell(dir, L + " a.txt").code, 0);
  r = shell(dir, L + " a.txt.lmz");
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_EQ(r.err, "lmzip: a.txt.lmz: already has .lmz suffix -- unchanged\n");
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt.lmz"});
  // With -c or -o the suffix does not matter.
  r = shell(dir, "cp a.txt.lmz plain && " + L + " -dc plain > p && " + L + " -d -o q plain");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir.file("p")), text);
  EXPECT_EQ(read_bytes(dir.file("q")), text);
}

// A full disk, simulated two ways that need no privileges: a file-size limit
// (ulimit -f, in 1 KiB blocks; the program ignores SIGXFSZ and reports EFBIG)
// and /dev/full as standard output (ENOSPC).
TEST(Cli, FullDisk) {
  TempDir dir;
  const Bytes noise = random_bytes(64 * 1024, 5);  // incompressible: the output is > 64 KiB
  write_bytes(dir.file("big"), noise);
  RunResult r = shell(dir, "ulimit -f 8; " + L + " big");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: big: cannot write big.lmz: File too large\n");
  EXPECT_EQ(dir_names(dir.path()), Names{"big"}) << "no partial output, no temporary file";
  EXPECT_EQ(read_bytes(dir.file("big")), noise);

  // Decompressing under the limit.
  ASSERT_EQ(shell(dir, L + " big").code, 0);
  r = shell(dir, "ulimit -f 8; " + L + " -d big.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: big.lmz: cannot write big: File too large\n");
  EXPECT_EQ(dir_names(dir.path()), Names{"big.lmz"});
  EXPECT_EQ(decoded(dir.file("big.lmz")), noise);

  // /dev/full on standard output.
  const Bytes text = put_text(dir, "a.txt");
  r = shell(dir, L + " -c a.txt > /dev/full");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: a.txt: cannot write (stdout): No space left on device\n");
  r = shell(dir, L + " -dc big.lmz > /dev/full");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: big.lmz: cannot write (stdout): No space left on device\n");
  r = shell(dir, L + " < a.txt > /dev/full");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: (stdin): cannot write (stdout): No space left on device\n");
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt", "big.lmz"}));
  EXPECT_EQ(read_bytes(dir.file("a.txt")), text);
}

// An interrupted run removes its temporary output and keeps the input.
TEST(Cli, InterruptLeavesNoTemporaryFile) {
  TempDir dir;
  // The input comes through a FIFO whose writer stalls, so the program is
  // still running (with its temporary output open) when it gets SIGTERM.
  write_bytes(dir.file("part"), text_like(200000, 8));
  ASSERT_EQ(mkfifo(dir.file("pipe").c_str(), 0644), 0);
  const RunResult r = shell(dir, "(cat part; sleep 2) > pipe & " + L + " -f -o out.lmz pipe & pid=$!; " +
                                     "sleep 0.5; ls > listing; kill -TERM $pid; wait $pid; echo $? > status");
  EXPECT_NE(read_text(dir.file("listing")).find("out.lmz.tmp"), std::string::npos)
      << "the program should have been writing its temporary file: " << read_text(dir.file("listing"));
  EXPECT_EQ(read_text(dir.file("status")), "143\n") << r;
  EXPECT_FALSE(path_exists(dir.file("out.lmz")));
  EXPECT_TRUE(temp_leftovers(dir.path()).empty()) << temp_leftovers(dir.path()).front();
  EXPECT_TRUE(path_exists(dir.file("part")));
}

// kill -9 mid-write (no handler runs): the input is intact, no output
// appears under the real name, and a rerun writes it; the killed run's
// temporary file stays behind under its own name (out.lmz.tmpXXXXXX), never
// taken for output (issue 15, the reliability campaign).
TEST(Cli, KillNineMidWriteThenRerun) {
  TempDir dir;
  const Bytes text = text_like(300000, 9);
  write_bytes(dir.file("big.txt"), text);
  const RunResult r = shell(dir, L + " -2 -T1 big.txt & pid=$!; sleep 1; ls > listing; kill -KILL $pid; wait $pid; "
                                     "echo $? > status");
  EXPECT_NE(read_text(dir.file("listing")).find("big.txt.lmz.tmp"), std::string::npos)
      << "the program should have been writing its temporary file: " << read_text(dir.file("listing"));
  EXPECT_EQ(read_text(dir.file("status")), "137\n") << r;
  EXPECT_FALSE(path_exists(dir.file("big.txt.lmz")));
  EXPECT_EQ(read_bytes(dir.file("big.txt")), text);
  EXPECT_EQ(temp_leftovers(dir.path()).size(), 1u);
  const RunResult again = shell(dir, L + " -0 big.txt");
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_FALSE(path_exists(dir.file("big.txt")));
  EXPECT_EQ(decoded(dir.file("big.txt.lmz")), text);
}

// The model column of -l for a file compressed with `flags`.
std::string model_used(const TempDir& dir, const std::string& flags) {
  RunResult r = shell(dir, lmzip_cli() + " " + flags + " -c a.txt > a.lmz && " + lmzip_cli() + " -l a.lmz");
  EXPECT_EQ(r.code, 0) << r;
  std::istringstream lines(r.out);
  std::string header, line;
  std::getline(lines, header);
  std::getline(lines, line);
  const auto w = words(line);
  return w.size() == 8 ? w[5] : "";
}

// The adaptive stage is the default (alone at -0, with the network at -1);
// --no-adaptive leaves it out; every frame decompresses exactly and is
// version 4.
TEST(Cli, AdaptiveIsTheDefault) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt", 30000);
  for (const std::string flags : {"-0", "-1", "-0 --no-adaptive", "-0 --no-adaptive --adaptive"}) {
    if (flags == "-1" && !model_open(model_level_name(1), test_model_dirs())) continue;
    const RunResult r = shell(dir, lmzip_cli() + " " + flags + " -c a.txt > a.lmz && " + lmzip_cli() +
                                       " -d -c a.lmz > back");
    ASSERT_EQ(r.code, 0) << flags << ": " << r;
    EXPECT_EQ(read_bytes(dir.file("back")), text) << flags;
    const bool adaptive = flags.find("--no-adaptive") == std::string::npos || flags.ends_with("--adaptive");
    const Bytes lmz = read_bytes(dir.file("a.lmz"));
    EXPECT_EQ(lmz.at(4), 4) << flags;
    EXPECT_EQ((lmz.at(5) & 0x08) != 0, adaptive) << flags << ": the stage byte";
  }
}

TEST(Cli, LevelsChooseModels) {
  TempDir dir;
  put_text(dir, "a.txt", 3000);
  EXPECT_EQ(model_used(dir, "-0"), "order2");
  for (int level = 1; level <= kModelLevelMax; ++level) {
    const std::string name = model_level_name(level);
    if (!model_open(name, test_model_dirs())) continue;  // not trained yet: -N then fails (next test)
    EXPECT_EQ(model_used(dir, "-" + std::to_string(level)), name);
    if (level == kModelLevelDefault) {
      EXPECT_EQ(model_used(dir, ""), name);
    }
  }
  const RunResult r = shell(dir, lmzip_cli() + " -1 -m order2 -c a.txt");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("not both"), std::string::npos) << r;
}

TEST(Cli, MissingModelFailsBeforeTouchingFiles) {
  TempDir dir;
  put_text(dir, "a.txt", 3000);
  const RunResult r = shell(dir, lmzip_cli() + " -m no-such-model a.txt");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no model named 'no-such-model'"), std::string::npos) << r;
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt"});
}

// gzip's conventions (issue 16): levels out of range are usage errors, with
// nothing compressed and nothing removed.
TEST(Cli, LevelsOutOfRangeAreUsageErrors) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt", 2000);
  for (const char* level : {"-9", "-19", "-4", "-123456789012"}) {
    const RunResult r = shell(dir, L + " " + level + " a.txt");
    EXPECT_EQ(r.code, 1) << level << r;
    EXPECT_EQ(r.err, std::string("lmzip: invalid level ") + level + ": levels are -0 to -3 (--fast, --best)\n");
    EXPECT_EQ(dir_names(dir.path()), Names{"a.txt"}) << level;
  }
  RunResult r = shell(dir, L + " --rmm a.txt");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err.rfind("lmzip: ", 0), 0u) << r;
  EXPECT_NE(r.err.find("Try 'lmzip --help'"), std::string::npos) << r;
  EXPECT_EQ(dir_names(dir.path()), Names{"a.txt"});
  // After --, a name that looks like a level is a file.
  r = shell(dir, "cp a.txt ./-9 && " + L + " -0 -- -9");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(path_exists(dir.file("-9.lmz")));
}

TEST(Cli, FastAndBestAreTheLevelsAtTheEnds) {
  TempDir dir;
  put_text(dir, "a.txt", 3000);
  RunResult r = shell(dir, L + " -c --fast a.txt > fast.lmz && " + L + " -c -0 a.txt > zero.lmz && cmp fast.lmz zero.lmz");
  EXPECT_EQ(r.code, 0) << r;
  if (!model_open(model_level_name(kModelLevelMax), test_model_dirs())) GTEST_SKIP() << "the -3 model is not trained";
  r = shell(dir, L + " -c --best a.txt > best.lmz && " + L + " -c -3 a.txt > three.lmz && cmp best.lmz three.lmz");
  EXPECT_EQ(r.code, 0) << r;
}

TEST(Cli, RecursiveGoesIntoDirectories) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("d/e"));
  const Bytes a = put_text(dir, "d/a.txt", 500, 1), b = put_text(dir, "d/e/b.txt", 500, 2);
  RunResult r = shell(dir, L + " -0 -r d");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(dir_names(dir.file("d")), (Names{"a.txt.lmz", "e"}));
  EXPECT_EQ(dir_names(dir.file("d/e")), Names{"b.txt.lmz"});
  r = shell(dir, L + " -d -r d");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir.file("d/a.txt")), a);
  EXPECT_EQ(read_bytes(dir.file("d/e/b.txt")), b);
  EXPECT_EQ(dir_names(dir.file("d/e")), Names{"b.txt"});
}

TEST(Cli, OutputKeepsModeAndTimes) {
  TempDir dir;
  put_text(dir, "a.txt", 800);
  RunResult r = shell(dir, "chmod 604 a.txt && touch -d @981173106 a.txt && " + L + " -0 a.txt && "
                           "stat -c '%a %Y' a.txt.lmz && " + L + " -d a.txt.lmz && stat -c '%a %Y' a.txt");
  ASSERT_EQ(r.code, 0) << r;
  const std::string t = std::to_string(981173106);  // 2001-02-03 04:05:06 UTC
  EXPECT_EQ(r.out, "604 " + t + "\n604 " + t + "\n") << r;
}

TEST(Cli, SymlinksAndSpecialFilesAreSkippedWithAWarning) {
  TempDir dir;
  const Bytes text = put_text(dir, "a.txt", 800);
  RunResult r = shell(dir, "ln -s a.txt link && mkfifo fifo && " + L + " -0 link");
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_EQ(r.err, "lmzip: link: is a symbolic link -- ignored (use -f to follow it)\n");
  r = shell(dir, L + " -0 fifo");
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_EQ(r.err, "lmzip: fifo: is not a regular file -- ignored (use -f to read it)\n");
  EXPECT_EQ(dir_names(dir.path()), (Names{"a.txt", "fifo", "link"}));
  // A skipped file and a good one: the good one is done, the status is 2; -q hides the warning.
  r = shell(dir, "cp a.txt b.txt && " + L + " -0 -q link b.txt");
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(path_exists(dir.file("b.txt.lmz")));
  // -f follows the link; the link, not its target, is then replaced.
  r = shell(dir, L + " -0 -f link");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir.file("link.lmz")).empty(), false);
  EXPECT_EQ(read_bytes(dir.file("a.txt")), text);
}

// The man page cannot drift from --help: every option --help lists is in it,
// and every option it describes is one --help lists.
TEST(Cli, ManPageAgreesWithHelp) {
  TempDir dir;
  const RunResult r = shell(dir, L + " --help");
  ASSERT_EQ(r.code, 0) << r;
  std::string man = read_text(std::string(LMZIP_SOURCE_DIR) + "/docs/man/lmzip.1");
  for (size_t at; (at = man.find("\\-")) != std::string::npos;) man.replace(at, 2, "-");
  const std::regex option(R"((^|[\s,])(--?[A-Za-z0-9][-A-Za-z0-9]*))");
  std::set<std::string> in_help, in_man;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  -", 0) != 0) continue;  // the option lines of --help
    const std::string names = line.substr(0, line.find_first_of(" ", 2) == std::string::npos ? line.size() : line.find("  ", 2));
    for (std::sregex_iterator it(names.begin(), names.end(), option), end; it != end; ++it) in_help.insert((*it)[2]);
  }
  std::istringstream man_lines(man);
  for (std::string line; std::getline(man_lines, line);) {
    if (line.rfind(".BR -", 0) != 0 && line.rfind(".B -", 0) != 0) continue;  // the option headings
    for (std::sregex_iterator it(line.begin(), line.end(), option), end; it != end; ++it) in_man.insert((*it)[2]);
  }
  EXPECT_GT(in_help.size(), 30u);
  for (const auto& o : in_help) EXPECT_TRUE(in_man.count(o)) << o << " is in --help but not in docs/man/lmzip.1";
  for (const auto& o : in_man) EXPECT_TRUE(in_help.count(o)) << o << " is in docs/man/lmzip.1 but not in --help";
}

}  // namespace
}  // namespace lmzip::test
