#!/usr/bin/env bash
# deploy/image/base-image.sh OUT.tar: the base image of Herald's container images, assembled from this
# machine's JDK, as a `docker save` tarball that Jib reads with `tar://` (pom.xml, profile `images`).
# No registry serves base images here, so the image is made from what the build machine has: a Java
# runtime cut down with jlink (or the JDK itself where no jmods are installed), the shared libraries
# it loads (found with ldd), and a minimal /etc with an unprivileged user `herald` (uid 10001).
# The output is the same for the same JDK and libraries: every file's time is the epoch.
set -euo pipefail

out=${1:?usage: base-image.sh OUT.tar}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/opt" "$root/etc" "$root/tmp" "$root/app"
chmod 1777 "$root/tmp"

# The modules Dropwizard, Jetty, the JDBC driver and the JDK's own tools (jcmd, JFR) need.
if [[ -f "$java_home/jmods/java.base.jmod" ]]; then
  "$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.management.agent,jdk.jfr,jdk.jcmd,jdk.naming.dns,jdk.zipfs,jdk.localedata \
    --strip-debug --no-man-pages --no-header-files --output "$root/opt/java"
else
  mkdir -p "$root/opt/java"
  cp -rL "$java_home/bin" "$java_home/conf" "$java_home/lib" "$java_home/release" "$root/opt/java/"
fi
# Debian's JDK links its trust store and conf files into /etc; an image must carry the files themselves.
find "$root/opt/java" -type l | while read -r link; do
  target=$(readlink -f "$link" || true)
  rm "$link"
  if [[ -n $target && -e $target ]]; then cp -L "$target" "$link"; fi
done

# The shared libraries every binary and library of the runtime loads; those missing here (the X11
# libraries of AWT's window toolkit) are not needed by a headless server.
find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '/=> \// { print $3 } /^\s*\/[^ ]+ \(0x/ { print $1 }' \
  | sort -u \
  | while read -r lib; do cp -L --parents "$lib" "$root"; done

cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
herald:x:10001:10001:Herald:/app:/sbin/nologin
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
herald:x:10001:
GROUP
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"

tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat >"$work/config.json" <<CONFIG
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"],"User":"10001:10001","WorkingDir":"/app"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/base-image.sh from $(basename "$java_home")"}]}
CONFIG
printf '[{"Config":"config.json","RepoTags":["herald-base:local"],"Layers":["layer.tar"]}]\n' >"$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "base image: $out ($(du -h "$out" | cut -f1), from $java_home)"
