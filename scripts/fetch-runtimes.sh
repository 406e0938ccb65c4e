#!/usr/bin/env bash
# fetch-runtimes.sh — fetch the native runtime libraries PdM Studio loads at run time:
# ONNX Runtime (from the npm package onnxruntime-node) and llama.cpp (from the
# @node-llama-cpp/* npm packages). Nothing is built; the prebuilt libraries are
# unpacked from `npm pack` tarballs whose sha256 is pinned below.
#
# Usage:
#   scripts/fetch-runtimes.sh [--windows] [--no-native] [--force] [MODELS_DIR]
#
#   MODELS_DIR   where to put the libraries (default: <repo>/models). The Makefile
#                calls `scripts/fetch-runtimes.sh models`.
#   --windows    also fetch the Windows x64 libraries (ONNX Runtime with DirectML,
#                llama.cpp CPU and Vulkan builds). Same as PDMSTUDIO_FETCH_WINDOWS=1.
#   --no-native  skip the libraries for this machine (useful with --windows).
#   --force      re-extract even when the stamp says the files are current.
#
# Environment:
#   PDMSTUDIO_NPM_PACK_CACHE  tarball cache (default: <repo>/.cache/npm-pack, git-ignored)
#   PDMSTUDIO_FETCH_WINDOWS   1 = as --windows
#
# Result (linux x64 host):
#   MODELS_DIR/onnxruntime/linux-x64/libonnxruntime.so.1 (+ libonnxruntime.so link)
#   MODELS_DIR/llama/linux-x64/*.so (+ libllama.so, libggml.so links to the versioned names)
# With --windows:
#   MODELS_DIR/onnxruntime/windows-x64/{onnxruntime,DirectML,dxcompiler,dxil}.dll
#   MODELS_DIR/llama/windows-x64/*.dll          (+ llama.dll, ggml.dll copies)
#   MODELS_DIR/llama/windows-x64-vulkan/*.dll   (+ llama.dll, ggml.dll copies)
#
# Idempotent: every output folder holds a .fetch-stamp naming the package, the
# tarball's sha256 and the sha256 of every file extracted; when the stamp matches
# and the files verify, the folder is left alone and nothing is downloaded.
# A tarball whose sha256 differs from the pinned one is a hard error (exit 1).
set -euo pipefail

# ---- pinned packages: name, version, sha256 of the `npm pack` tarball --------------
# To move a version: change it here, run `npm pack NAME@VERSION`, `sha256sum` the
# tarball, and check it against `npm view NAME@VERSION dist.integrity` (sha512).
ORT_PKG="onnxruntime-node"
ORT_VER="1.24.1"
ORT_SHA256="57181cf6e6e711b155c5b942d591fd63ded0b5de5c4922d51fd994e7f6ac2772"

LLAMA_VER="3.21.1" # keep every @node-llama-cpp platform package on the same version
LLAMA_LINUX_PKG="@node-llama-cpp/linux-x64"
LLAMA_LINUX_SHA256="4b5b65a8b2611d8af94349b02d815c0f424a30a0a19aef2be5db25ecfef6730f"
LLAMA_WIN_PKG="@node-llama-cpp/win-x64"
LLAMA_WIN_SHA256="9e48b1bf39e41c8b955a20006a3bdfd4861bedbb2661c87f7e29a5207f1ff0e8"
LLAMA_WINVK_PKG="@node-llama-cpp/win-x64-vulkan"
LLAMA_WINVK_SHA256="105e8207d2114f5f248b217fee7f9b702d0e7509cf0d3c7565dfb9e707f9303e"
# ------------------------------------------------------------------------------------

die() { echo "fetch-runtimes: error: $*" >&2; exit 1; }
log() { echo "fetch-runtimes: $*" >&2; }

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models_dir=""
want_windows="${PDMSTUDIO_FETCH_WINDOWS:-0}"
want_native=1
force=0

while [ $# -gt 0 ]; do
	case "$1" in
	--windows) want_windows=1 ;;
	--no-native) want_native=0 ;;
	--force) force=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*) die "unknown option $1 (try --help)" ;;
	*)
		[ -z "$models_dir" ] || die "only one MODELS_DIR may be given"
		models_dir="$1"
		;;
	esac
	shift
done
[ -n "$models_dir" ] || models_dir="$repo_root/models"
case "$want_windows" in 1 | true | yes) want_windows=1 ;; *) want_windows=0 ;; esac
mkdir -p "$models_dir"
models_dir="$(cd "$models_dir" && pwd)"

cache_dir="${PDMSTUDIO_NPM_PACK_CACHE:-$repo_root/.cache/npm-pack}"
mkdir -p "$cache_dir"
cache_dir="$(cd "$cache_dir" && pwd)"

for tool in tar sha256sum; do
	command -v "$tool" >/dev/null || die "$tool is required"
done

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# tarball_name NAME VERSION → the file name `npm pack` gives: @scope/pkg → scope-pkg-VERSION.tgz
tarball_name() {
	local n="${1#@}"
	echo "${n//\//-}-$2.tgz"
}

# fetch NAME VERSION SHA256 → prints the path of a verified tarball in the cache.
fetch() {
	local name="$1" version="$2" want="$3"
	local file="$cache_dir/$(tarball_name "$name" "$version")"
	if [ -f "$file" ]; then
		if [ "$(sha256_of "$file")" = "$want" ]; then
			echo "$file"
			return
		fi
		log "cached $file does not match its pinned checksum; fetching it again"
		rm -f "$file"
	fi
	command -v npm >/dev/null || die "npm is required to fetch $name@$version (or put $(basename "$file") into $cache_dir)"
	log "npm pack $name@$version"
	local out
	if ! out="$(cd "$cache_dir" && npm pack "$name@$version" --pack-destination "$cache_dir" --silent 2>&1)"; then
		die "npm pack $name@$version failed: $out"
	fi
	[ -f "$file" ] || die "npm pack $name@$version did not produce $file (npm said: $out)"
	local got
	got="$(sha256_of "$file")"
	if [ "$got" != "$want" ]; then
		mv -f "$file" "$file.mismatch"
		die "CHECKSUM MISMATCH for $name@$version
    expected sha256 $want (pinned in scripts/fetch-runtimes.sh)
    got      sha256 $got
    The tarball was moved to $file.mismatch and nothing was installed.
    If the registry really republished this version, check it by hand before changing the pin."
	fi
	echo "$file"
}

# stamp_ok DIR KEY → success when DIR/.fetch-stamp was written for KEY and every file and link it lists verifies.
stamp_ok() {
	local dir="$1" key="$2" stamp="$1/.fetch-stamp"
	[ "$force" = 0 ] || return 1
	[ -f "$stamp" ] || return 1
	[ "$(head -n1 "$stamp")" = "# $key" ] || return 1
	local name target
	while read -r _ name target; do
		[ "$(readlink "$dir/$name" 2>/dev/null)" = "$target" ] || return 1
	done < <(grep '^#link ' "$stamp")
	(cd "$dir" && grep -v '^#' "$stamp" | sha256sum --check --quiet --strict >/dev/null 2>&1)
}

# write_stamp DIR KEY → record KEY, every symbolic link and the sha256 of every regular file in DIR.
write_stamp() {
	local dir="$1" key="$2"
	{
		echo "# $key"
		(cd "$dir" && find . -maxdepth 1 -type l -printf '#link %f %l\n' | LC_ALL=C sort)
		(cd "$dir" && find . -maxdepth 1 -type f ! -name '.fetch-stamp*' -printf '%f\n' | LC_ALL=C sort | xargs -r sha256sum)
	} >"$dir/.fetch-stamp.tmp"
	mv -f "$dir/.fetch-stamp.tmp" "$dir/.fetch-stamp"
}

# install_dir STAGING DEST → replace DEST with STAGING (same file system, so close to atomic).
install_dir() {
	local staging="$1" dest="$2"
	mkdir -p "$(dirname "$dest")"
	rm -rf "$dest.old"
	[ ! -e "$dest" ] || mv "$dest" "$dest.old"
	mv "$staging" "$dest"
	rm -rf "$dest.old"
}

# new_staging DEST → a fresh empty folder beside DEST.
new_staging() {
	local dest="$1"
	mkdir -p "$(dirname "$dest")"
	local s="$dest.partial"
	rm -rf "$s"
	mkdir -p "$s"
	echo "$s"
}

# ort TARGET_DIR_NAME NPM_SUBDIR FILES... → ONNX Runtime libraries for one platform.
ort() {
	local target="$1" sub="$2"
	shift 2
	local dest="$models_dir/onnxruntime/$target"
	local key="$ORT_PKG@$ORT_VER $ORT_SHA256 $target"
	if stamp_ok "$dest" "$key"; then
		log "onnxruntime/$target is current ($ORT_PKG@$ORT_VER)"
		return
	fi
	local tgz
	tgz="$(fetch "$ORT_PKG" "$ORT_VER" "$ORT_SHA256")"
	local staging tmp
	staging="$(new_staging "$dest")"
	tmp="$(mktemp -d "$cache_dir/extract.XXXXXX")"
	local members=() f
	for f in "$@"; do members+=("package/bin/napi-v6/$sub/$f"); done
	tar -xzf "$tgz" -C "$tmp" "${members[@]}" || die "extracting ${members[*]} from $tgz failed"
	for f in "$@"; do mv "$tmp/package/bin/napi-v6/$sub/$f" "$staging/"; done
	rm -rf "$tmp"
	if [ -f "$staging/libonnxruntime.so.1" ]; then
		ln -sf libonnxruntime.so.1 "$staging/libonnxruntime.so"
	fi
	write_stamp "$staging" "$key"
	install_dir "$staging" "$dest"
	log "installed onnxruntime/$target from $ORT_PKG@$ORT_VER"
}

# llama TARGET_DIR_NAME PKG SHA256 BINS_SUBDIR → llama.cpp libraries for one platform.
llama() {
	local target="$1" pkg="$2" sha="$3" sub="$4"
	local dest="$models_dir/llama/$target"
	local key="$pkg@$LLAMA_VER $sha $target"
	if stamp_ok "$dest" "$key"; then
		log "llama/$target is current ($pkg@$LLAMA_VER)"
		return
	fi
	local tgz
	tgz="$(fetch "$pkg" "$LLAMA_VER" "$sha")"
	local staging tmp
	staging="$(new_staging "$dest")"
	tmp="$(mktemp -d "$cache_dir/extract.XXXXXX")"
	tar -xzf "$tgz" -C "$tmp" "package/bins/$sub" package/LICENSE || die "extracting package/bins/$sub from $tgz failed"
	local n=0 f
	for f in "$tmp/package/bins/$sub"/*.so "$tmp/package/bins/$sub"/*.dll; do
		[ -f "$f" ] || continue
		mv "$f" "$staging/"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || die "$pkg@$LLAMA_VER holds no libraries under package/bins/$sub"
	mv "$tmp/package/LICENSE" "$staging/LICENSE.llama.cpp.txt"
	rm -rf "$tmp"
	# yzma loads <dir>/libllama.so + libggml.so + libggml-base.so (Linux) or
	# llama.dll + ggml.dll + ggml-base.dll (Windows); the packages ship versioned names.
	local base ext versioned
	for base in llama ggml; do
		case "$target" in
		windows-*)
			versioned="$(cd "$staging" && ls $base.*v[0-9]*.dll 2>/dev/null | head -n1 || true)"
			[ -n "$versioned" ] || die "no versioned $base DLL in $pkg@$LLAMA_VER"
			# Windows has no portable symbolic links: copy. The llm package makes sure the
			# versioned DLL (the one llama.dll imports) is the one whose backends are loaded.
			cp -f "$staging/$versioned" "$staging/$base.dll"
			;;
		*)
			versioned="$(cd "$staging" && ls lib$base.v[0-9]*.so 2>/dev/null | head -n1 || true)"
			[ -n "$versioned" ] || die "no versioned lib$base in $pkg@$LLAMA_VER"
			ln -sf "$versioned" "$staging/lib$base.so"
			;;
		esac
	done
	write_stamp "$staging" "$key"
	install_dir "$staging" "$dest"
	log "installed llama/$target from $pkg@$LLAMA_VER ($n libraries)"
}

if [ "$want_native" = 1 ]; then
	os="$(uname -s)"
	arch="$(uname -m)"
	case "$os/$arch" in
	Linux/x86_64 | Linux/amd64)
		ort linux-x64 linux/x64 libonnxruntime.so.1
		llama linux-x64 "$LLAMA_LINUX_PKG" "$LLAMA_LINUX_SHA256" linux-x64
		;;
	*)
		log "no pinned runtime libraries for $os/$arch; only linux x64 (and --windows) are fetched"
		;;
	esac
fi

if [ "$want_windows" = 1 ]; then
	ort windows-x64 win32/x64 onnxruntime.dll DirectML.dll dxcompiler.dll dxil.dll
	llama windows-x64 "$LLAMA_WIN_PKG" "$LLAMA_WIN_SHA256" win-x64
	llama windows-x64-vulkan "$LLAMA_WINVK_PKG" "$LLAMA_WINVK_SHA256" win-x64-vulkan
fi

log "runtime libraries are in $models_dir"
