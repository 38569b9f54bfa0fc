export const id = 490;
export const ids = [490];
export const modules = {

/***/ 3490:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildTemplate: () => (/* binding */ buildTemplate)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./node_modules/ignore/index.js
var ignore = __webpack_require__(298);
var ignore_default = /*#__PURE__*/__webpack_require__.n(ignore);
;// CONCATENATED MODULE: ./src/artifacts/template-ignore.ts
/**
 * The `.gitignore` and `.pulumiignore` rules that decide which files of a
 * template folder go into its archive, applied the way git applies them.
 */



/** Names left out wherever they appear, whatever the rules say. */
const ALWAYS_EXCLUDED = new Set([
    ".git",
    "node_modules",
]);
/**
 * Loads the rules in force at the template folder's root: the `.gitignore`
 * files of its parent folders down from the repository root (the nearest
 * ancestor holding a `.git` entry, never above `workspace`), then its own
 * `.gitignore` and `.pulumiignore` (whose rules come last and so win).
 */
async function loadRootIgnoreRules(dir, workspace) {
    const top = (await findRepositoryRoot(dir, workspace)) ?? dir;
    let rules = { root: "", levels: [] };
    for (const folder of foldersBetween(top, dir)) {
        const rel = toPosix(external_node_path_default().relative(top, folder));
        const prefix = rel ? `${rel}/` : "";
        // Git enters a folder only when the rules above do not exclude it.
        const excluded = prefix ? matchRules(rules, prefix) : undefined;
        if (excluded) {
            rules = { root: "", levels: [], outerRulesSkipped: excluded };
            break;
        }
        rules = { root: prefix, levels: rules.levels };
        if (folder !== dir)
            rules = await enterFolder(rules, folder, prefix);
    }
    return enterFolder(rules, dir, rules.root, [".gitignore", ".pulumiignore"]);
}
/**
 * The rules in force inside the template folder `relDir` (a template path
 * ending in "/", found at `absDir`), which the rules of its parent folder
 * did not exclude: those rules, plus the folder's own `.gitignore`.
 */
async function enterIgnoreFolder(parent, absDir, relDir) {
    return enterFolder(parent, absDir, parent.root + relDir);
}
/**
 * Tells whether the template path `rel` ("/" separators, relative to the
 * template root) is excluded, and by which rule. The innermost folder whose
 * rules match the path decides, as in git.
 */
function findIgnoringRule(rules, rel, isDirectory) {
    return matchRules(rules, rules.root + rel + (isDirectory ? "/" : ""));
}
/** `full` is relative to the top; a directory ends with "/". */
function matchRules(rules, full) {
    for (let i = rules.levels.length - 1; i >= 0; i--) {
        const level = rules.levels[i];
        const result = level.rules.test(full.slice(level.dir.length));
        if (result.unignored)
            return undefined;
        if (result.ignored && result.rule) {
            return { pattern: result.rule.pattern, file: result.rule.mark ?? "" };
        }
    }
    return undefined;
}
async function enterFolder(parent, absDir, dir, names = [".gitignore"]) {
    const levels = parent.levels.map((level) => reopenLevel(level, dir));
    const own = await readLevel(absDir, names, dir);
    return { ...parent, levels: own ? [...levels, own] : levels };
}
/**
 * The level as it applies inside `dir`, a folder it excludes on its own
 * but that a deeper level re-included (`src/` above, `!src/` below).
 * `ignore` tests a path's parent folders too, so every pattern that
 * excludes `dir` is dropped here; git keeps them for the folder's content,
 * which differs only for a pattern that also matches a path inside it.
 */
function reopenLevel(level, dir) {
    const local = dir.slice(level.dir.length);
    if (!local || !level.rules.test(local).ignored)
        return level;
    const patterns = level.patterns.filter((p) => !newRules([p]).test(local).ignored);
    return { ...level, patterns, rules: newRules(patterns) };
}
function newRules(patterns) {
    // Case-sensitive everywhere, so that an archive does not depend on the
    // runner's OS (git itself follows core.ignorecase, true on macOS/Windows).
    return ignore_default()({ ignorecase: false }).add(patterns);
}
/**
 * The nearest folder from `dir` upwards that holds a `.git` entry (folder
 * or file, as in worktrees and submodules), not looking above `workspace`
 * and not at all when `dir` is outside it.
 */
async function findRepositoryRoot(dir, workspace) {
    const top = workspace && isWithin(dir, workspace) ? workspace : undefined;
    const candidates = top ? foldersBetween(top, dir).reverse() : ancestors(dir);
    const searched = workspace && !top ? [dir] : candidates;
    for (const folder of searched) {
        if (await exists(external_node_path_default().join(folder, ".git")))
            return folder;
    }
    return undefined;
}
async function readLevel(folder, names, dir) {
    const patterns = [];
    for (const name of names) {
        const file = external_node_path_default().join(folder, name);
        const text = await readOptional(file);
        if (text === undefined)
            continue;
        for (const pattern of text.split(/\r?\n/)) {
            patterns.push({ pattern, mark: file });
        }
    }
    if (patterns.length === 0)
        return undefined;
    return { dir, patterns, rules: newRules(patterns) };
}
async function readOptional(file) {
    try {
        return await external_node_fs_.promises.readFile(file, "utf8");
    }
    catch (error) {
        if (isMissing(error))
            return undefined;
        throw error;
    }
}
function isMissing(error) {
    const code = error?.code;
    return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR";
}
async function exists(file) {
    return external_node_fs_.promises.lstat(file).then(() => true, () => false);
}
/** `top`, then each folder down to and including `bottom`. */
function foldersBetween(top, bottom) {
    const parts = external_node_path_default().relative(top, bottom).split((external_node_path_default()).sep).filter(Boolean);
    const folders = [top];
    for (const part of parts) {
        folders.push(external_node_path_default().join(folders[folders.length - 1], part));
    }
    return folders;
}
/** `dir` and each of its parents up to the filesystem root. */
function ancestors(dir) {
    const folders = [dir];
    for (let p = external_node_path_default().dirname(dir); p !== folders.at(-1); p = external_node_path_default().dirname(p)) {
        folders.push(p);
    }
    return folders;
}
/** True when `child` is `parent` or inside it (paths compared as text). */
function isWithin(child, parent) {
    const rel = external_node_path_default().relative(parent, child);
    if (rel === "")
        return true;
    const outside = rel === ".." || rel.startsWith(`..${(external_node_path_default()).sep}`);
    return !outside && !external_node_path_default().isAbsolute(rel);
}
function toPosix(p) {
    return p.split((external_node_path_default()).sep).join("/");
}

;// CONCATENATED MODULE: ./src/artifacts/template-links.ts
/**
 * Following the symbolic links of a template folder: each must lead to a
 * file or folder inside the template that the archive could hold anyway.
 */




const INPUT = "template-directory";
/** Follows a link to the end, refusing anything outside the template. */
async function resolveLink(scope, abs, rel) {
    const target = await external_node_fs_.promises.readlink(abs);
    let real;
    try {
        real = await external_node_fs_.promises.realpath(abs);
    }
    catch (error) {
        throw brokenLinkError(scope, rel, target, error);
    }
    if (!isWithin(real, scope.realRoot)) {
        throw new errors/* InputError */.dz(`The template holds a symbolic link "${rel}" that points to ` +
            `"${target}"${real === target ? "" : ` (${real})`}, outside the ` +
            `template folder ` +
            `"${scope.realRoot}". Links are stored as the file they point to, ` +
            "and only files inside the template may be archived. Copy the " +
            `file into the template, or add "${rel}" to .pulumiignore.`, { input: INPUT, file: abs });
    }
    return { stat: await external_node_fs_.promises.stat(real), real };
}
/**
 * Checks a file or folder at template path `rel` whose resolved path is
 * `real`. When a link led there (the two differ), the target must be one
 * the archive would hold: a target inside `.git` or `node_modules` is an
 * {@link InputError}, since `.git/config` can hold the checkout's token;
 * a target the ignore rules exclude is returned, to be left out and
 * logged like any ignored path.
 */
async function checkLinkTarget(scope, rel, abs, real, isDirectory) {
    const target = external_node_path_default().relative(scope.realRoot, real).split((external_node_path_default()).sep).join("/");
    if (target === rel || target === "")
        return undefined;
    const place = target.split("/").find((part) => ALWAYS_EXCLUDED.has(part));
    if (place) {
        const text = await external_node_fs_.promises.readlink(abs).catch(() => target);
        throw excludedTargetError(rel, abs, { text, target }, place);
    }
    const by = await findTargetRule(scope, target, isDirectory);
    const slash = isDirectory ? "/" : "";
    return by && { ...by, target: target + slash };
}
/** The rule that leaves out `target`, entering folders as the walk does. */
async function findTargetRule(scope, target, isDirectory) {
    const folders = target.split("/").slice(0, -1);
    let rules = scope.rootRules;
    let dir = "";
    for (const folder of folders) {
        const by = findIgnoringRule(rules, dir + folder, true);
        if (by)
            return by;
        dir += `${folder}/`;
        rules = await rulesIn(scope, rules, dir);
    }
    return findIgnoringRule(rules, target, isDirectory);
}
function rulesIn(scope, parent, dir) {
    let rules = scope.folderRules.get(dir);
    if (!rules) {
        rules = enterIgnoreFolder(parent, external_node_path_default().join(scope.dir, dir), dir);
        scope.folderRules.set(dir, rules);
    }
    return rules;
}
function excludedTargetError(rel, abs, link, place) {
    const resolved = link.text === link.target ? "" : ` ("${link.target}" in the template)`;
    return new errors/* InputError */.dz(`The template holds a symbolic link "${rel}" that points to ` +
        `"${link.text}"${resolved}, inside "${place}". "${place}" is never ` +
        "archived, and " +
        "a link must not bring its content in (a checkout's .git/config " +
        "can hold a token). Remove the link, or point it at a file the " +
        "template should publish.", { input: INPUT, file: abs });
}
function brokenLinkError(scope, rel, target, error) {
    const code = error.code;
    const cause = code === "ELOOP"
        ? "which leads back to itself (a loop of links)"
        : "which does not exist (a dangling link)";
    return new errors/* InputError */.dz(`The template holds a symbolic link "${rel}" that points to ` +
        `"${target}", ${cause}. Point the link at a file inside the ` +
        `template, delete it, or add "${rel}" to .pulumiignore.`, { input: INPUT, file: external_node_path_default().join(scope.realRoot, rel) });
}
/** For a link to a folder that holds the link itself. */
function linkLoopError(scope, abs, rel, real) {
    const shown = external_node_path_default().relative(scope.realRoot, real).split((external_node_path_default()).sep).join("/");
    return new errors/* InputError */.dz(`The template holds a symbolic link "${rel}" that points to the ` +
        `folder "${shown || "."}", which contains the link itself, so the ` +
        "archive would never end. Delete the link, or add " +
        `"${rel}" to .pulumiignore.`, { input: INPUT, file: abs });
}

;// CONCATENATED MODULE: ./src/artifacts/template-files.ts
/**
 * Listing the files of a template folder that go into its archive: ignore
 * rules applied, symbolic links resolved and kept inside the folder.
 */





const template_files_INPUT = "template-directory";
/**
 * Lists the files of the template folder `dir` that belong in its archive.
 * `.git` and `node_modules` are left out everywhere; so is whatever the
 * `.gitignore` files (see {@link loadRootIgnoreRules}) and `.pulumiignore`
 * exclude, and an excluded folder is not entered. A symbolic link to a
 * file or folder inside the template is stored as what it points to, unless
 * the rules leave that target out (then the link is left out too, and
 * listed in `ignored`); a link into `.git` or `node_modules` or out of the
 * template, and any socket, device or FIFO, is an {@link InputError}.
 */
async function listTemplateFiles(dir, workspace) {
    const rules = await loadRootIgnoreRules(dir, workspace);
    const walk = {
        dir,
        realRoot: await external_node_fs_.promises.realpath(dir),
        rootRules: rules,
        folderRules: new Map(),
        files: [],
        ignored: [],
    };
    await walkFolder(walk, dir, "", rules, [walk.realRoot]);
    walk.files.sort((a, b) => comparePaths(a.path, b.path));
    const { outerRulesSkipped } = rules;
    return { files: walk.files, ignored: walk.ignored, outerRulesSkipped };
}
/** Orders archive paths by their UTF-8 bytes, the same on every OS. */
function comparePaths(a, b) {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
async function walkFolder(walk, absDir, relDir, parentRules, 
/** The real paths of the folders being walked, this one last. */
stack) {
    const rules = relDir
        ? await enterIgnoreFolder(parentRules, absDir, relDir)
        : parentRules;
    const entries = await external_node_fs_.promises.readdir(absDir, { withFileTypes: true });
    entries.sort((a, b) => comparePaths(a.name, b.name));
    for (const entry of entries) {
        if (ALWAYS_EXCLUDED.has(entry.name))
            continue;
        await visitEntry(walk, entry, absDir, relDir, rules, stack);
    }
}
async function visitEntry(walk, entry, absDir, relDir, rules, stack) {
    const rel = relDir + entry.name;
    const abs = external_node_path_default().join(absDir, entry.name);
    // Git treats a link as a file, so rules are tested before following it.
    if (isIgnored(walk, rules, rel, entry.isDirectory()))
        return;
    const { stat, real } = entry.isSymbolicLink()
        ? await resolveLink(walk, abs, rel)
        : {
            stat: await external_node_fs_.promises.lstat(abs),
            real: external_node_path_default().join(stack.at(-1) ?? "", entry.name),
        };
    const isDirectory = stat.isDirectory();
    if (isDirectory) {
        if (entry.isSymbolicLink() && isIgnored(walk, rules, rel, true))
            return;
        if (stack.includes(real))
            throw linkLoopError(walk, abs, rel, real);
    }
    if (await isIgnoredTarget(walk, rel, abs, real, isDirectory))
        return;
    if (isDirectory) {
        await walkFolder(walk, abs, `${rel}/`, rules, [...stack, real]);
    }
    else if (stat.isFile()) {
        walk.files.push({
            path: rel,
            source: abs,
            bytes: stat.size,
            mode: modeOf(stat),
        });
    }
    else {
        throw specialFileError(rel, abs, stat);
    }
}
function isIgnored(walk, rules, rel, isDirectory) {
    const by = findIgnoringRule(rules, rel, isDirectory);
    if (by)
        walk.ignored.push({ path: isDirectory ? `${rel}/` : rel, ...by });
    return by !== undefined;
}
/** True when a link led to `rel` and the rules leave its target out. */
async function isIgnoredTarget(walk, rel, abs, real, isDirectory) {
    const by = await checkLinkTarget(walk, rel, abs, real, isDirectory);
    if (by)
        walk.ignored.push({ path: isDirectory ? `${rel}/` : rel, ...by });
    return by !== undefined;
}
function specialFileError(rel, abs, stat) {
    return new errors/* InputError */.dz(`The template holds "${rel}", which is a ${describeSpecial(stat)}, ` +
        "not a regular file; an archive can only hold files. Delete it, or " +
        `add "${rel}" to .pulumiignore.`, { input: template_files_INPUT, file: abs });
}
function describeSpecial(stat) {
    if (stat.isFIFO())
        return "named pipe (FIFO)";
    if (stat.isSocket())
        return "socket";
    if (stat.isCharacterDevice() || stat.isBlockDevice())
        return "device";
    return "special file";
}
function modeOf(stat) {
    if (process.platform === "win32")
        return 0o644;
    return stat.mode & 0o100 ? 0o755 : 0o644;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/tar/dist/esm/index.min.js
var index_min = __webpack_require__(8697);
;// CONCATENATED MODULE: ./src/artifacts/template-tar.ts
/**
 * Writing a reproducible .tar.gz: the same files give the same bytes on
 * every machine, whoever owns them, whenever they were touched.
 */








/**
 * The modification time of every entry: 1980-01-01T00:00:00Z, the earliest
 * time a zip can hold, which tools that unpack into zips accept; a zero
 * mtime is read by some tools as "unknown".
 */
const ARCHIVE_MTIME = new Date(Date.UTC(1980, 0, 1));
/**
 * gzip's own default, written down so the compressed bytes never follow a
 * change of zlib's default; level 9 costs about 0.3 s more on a 35 MB
 * template for a 0.6% smaller archive.
 */
const GZIP_LEVEL = 6;
/** RFC 1952 "unknown" OS: zlib writes the build OS (3 Linux, 19 macOS…). */
const GZIP_OS_UNKNOWN = 0xff;
const GZIP_OS_OFFSET = 9;
/**
 * The tar stream comes in pieces of a header or a small file; each write
 * to gzip is a round trip to the thread pool, so they are joined first.
 */
const GZIP_INPUT_BYTES = 256 * 1024;
/** Raised inside the stream when the compressed size passes the limit. */
class ArchiveTooLargeError extends Error {
    limit;
    constructor(limit) {
        super(`The archive is larger than ${limit} bytes.`);
        this.limit = limit;
        this.name = "ArchiveTooLargeError";
    }
}
/**
 * Streams `files`, in the order given, into a gzip-compressed tar at
 * `outFile`. Each entry is a regular file with the fixed
 * {@link ARCHIVE_MTIME}, uid and gid 0, no user or group name and the
 * file's normalised mode; no access, change or device times are stored,
 * and the gzip header carries no name, time or OS. Stops with
 * {@link ArchiveTooLargeError} once more than `maxBytes` are written.
 */
async function writeTarGz(files, outFile, maxBytes = Number.POSITIVE_INFINITY) {
    // Entries are fed to Pack as tar entries described here, rather than as
    // paths, so that no owner, time, umask-dependent mode or hard link from
    // the local filesystem reaches the archive.
    const pack = new index_min/* Pack */.mM({ portable: false, noPax: false });
    const tar = new DigestStream();
    const gz = new DigestStream(maxBytes);
    const abort = new AbortController();
    pack.on("error", (error) => tar.destroy(asError(error)));
    pack.pipe(tar);
    const written = (0,promises_.pipeline)(tar, new Coalescer(GZIP_INPUT_BYTES), (0,external_node_zlib_.createGzip)({
        level: GZIP_LEVEL,
        strategy: external_node_zlib_.constants.Z_DEFAULT_STRATEGY,
        chunkSize: GZIP_INPUT_BYTES,
    }), new GzipHeaderNormaliser(), gz, (0,external_node_fs_.createWriteStream)(outFile)).catch((error) => {
        abort.abort(error);
        throw error;
    });
    await Promise.all([written, addEntries(pack, files, abort.signal)]);
    return { ...gz.result(), ...prefixed(tar.result()) };
}
function prefixed(r) {
    return { tarBytes: r.bytes, tarSha256: r.sha256 };
}
/** Small files are read this many entries ahead of the one being packed. */
const READ_AHEAD = 32;
/** Files up to this size are read whole; larger ones are streamed. */
const SMALL_FILE_BYTES = 256 * 1024;
/**
 * Adds the entries in order. Reading thousands of small files one after
 * another waits on the thread pool for each open, read and close, so small
 * files are read a few entries ahead, in parallel; memory stays bounded by
 * READ_AHEAD × SMALL_FILE_BYTES.
 */
async function addEntries(pack, files, signal) {
    const ahead = new Map();
    const readAhead = (index) => {
        const file = files[index];
        if (!file || ahead.has(index) || file.bytes > SMALL_FILE_BYTES)
            return;
        const read = external_node_fs_.promises.readFile(file.source, { signal });
        read.catch(() => undefined); // awaited below, or dropped on failure
        ahead.set(index, read);
    };
    try {
        for (let index = 0; index < files.length; index++) {
            for (let next = index; next < index + READ_AHEAD; next++) {
                readAhead(next);
            }
            const content = ahead.get(index);
            ahead.delete(index);
            await addEntry(pack, files[index], signal, content);
        }
        pack.end();
    }
    catch (error) {
        if (signal.aborted)
            return; // the pipeline's own error is reported
        pack.emit("error", error);
        throw error;
    }
}
async function addEntry(pack, file, signal, content) {
    const entry = new index_min/* ReadEntry */.lf(new index_min/* Header */.Y9({
        path: file.path,
        type: "File",
        mode: file.mode,
        size: file.bytes,
        mtime: ARCHIVE_MTIME,
        uid: 0,
        gid: 0,
        uname: "",
        gname: "",
    }));
    pack.add(entry);
    const copied = content
        ? await writeWhole(entry, file, await content, signal)
        : file.bytes > 0
            ? await copyInto(entry, file, signal)
            : 0;
    if (copied !== file.bytes)
        throw changedFileError(file, copied);
    entry.end();
}
/** Writes a file read whole; a size other than the listed one is a change. */
async function writeWhole(entry, file, content, signal) {
    if (content.length !== file.bytes)
        return content.length;
    if (content.length > 0 && !entry.write(content)) {
        await (0,external_node_events_.once)(entry, "drain", { signal });
    }
    return content.length;
}
/** Copies the first `file.bytes` bytes, waiting whenever the tar is busy. */
async function copyInto(entry, file, signal) {
    const input = (0,external_node_fs_.createReadStream)(file.source, {
        start: 0,
        end: file.bytes - 1,
        signal,
    });
    let copied = 0;
    for await (const chunk of input) {
        copied += chunk.length;
        if (!entry.write(chunk))
            await (0,external_node_events_.once)(entry, "drain", { signal });
    }
    return copied;
}
function changedFileError(file, copied) {
    return new errors/* InputError */.dz(`The template file "${file.path}" changed while it was archived: it ` +
        `had ${file.bytes} bytes when listed and ${copied} when read. ` +
        "Make sure no other step writes into the template folder while the " +
        "action runs, then run it again.", { input: "template-directory", file: file.source });
}
/** Passes bytes through, counting and hashing them, up to a limit. */
class DigestStream extends external_node_stream_.Transform {
    limit;
    hash = (0,external_node_crypto_.createHash)("sha256");
    bytes = 0;
    constructor(limit = Number.POSITIVE_INFINITY) {
        super();
        this.limit = limit;
    }
    _transform(chunk, _encoding, done) {
        this.bytes += chunk.length;
        if (this.bytes > this.limit) {
            done(new ArchiveTooLargeError(this.limit));
            return;
        }
        this.hash.update(chunk);
        done(null, chunk);
    }
    result() {
        return { bytes: this.bytes, sha256: this.hash.digest("hex") };
    }
}
/** Joins small chunks into ones of at least `size` bytes. */
class Coalescer extends external_node_stream_.Transform {
    size;
    pending = [];
    pendingBytes = 0;
    constructor(size) {
        super();
        this.size = size;
    }
    _transform(chunk, _encoding, done) {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        if (this.pendingBytes >= this.size)
            this.release();
        done();
    }
    _flush(done) {
        this.release();
        done();
    }
    release() {
        if (this.pendingBytes === 0)
            return;
        this.push(Buffer.concat(this.pending, this.pendingBytes));
        this.pending = [];
        this.pendingBytes = 0;
    }
}
/**
 * Sets the OS byte of the gzip header to "unknown". Node's zlib writes
 * no name and a zero time already, but the OS byte is the platform
 * zlib was built for, which would make archives differ between runners.
 */
class GzipHeaderNormaliser extends external_node_stream_.Transform {
    offset = 0;
    _transform(chunk, _encoding, done) {
        const at = GZIP_OS_OFFSET - this.offset;
        this.offset += chunk.length;
        if (at < 0 || at >= chunk.length) {
            done(null, chunk);
            return;
        }
        const copy = Buffer.from(chunk);
        copy[at] = GZIP_OS_UNKNOWN;
        done(null, copy);
    }
}
function asError(error) {
    return error instanceof Error ? error : new Error(String(error));
}

;// CONCATENATED MODULE: ./src/artifacts/template-archive.ts
/**
 * Building a template's archive: the folder's files, filtered and checked,
 * as a reproducible .tar.gz written outside the user's tree.
 */






const template_archive_INPUT = "template-directory";
/** Left-out paths shown at info level; the rest go to the debug log. */
const LEFT_OUT_SHOWN = 50;
const PROJECT_FILE = "Pulumi.yaml";
const README = "README.md";
/**
 * Archives the template folder `dir` into `<outDir>/<folder name>.tar.gz`:
 * files only, at paths relative to `dir` (so `Pulumi.yaml` is at the root),
 * sorted, with fixed times, owners and modes (see `writeTarGz`), so that
 * the same folder always gives the same sha256. Raises an
 * {@link InputError} for links that leave the folder, special files, a
 * `Pulumi.yaml` left out by ignore rules, or a size above `maxBytes`.
 */
async function buildTemplateArchive(options) {
    const dir = external_node_path_default().resolve(options.dir);
    const outFile = external_node_path_default().join(external_node_path_default().resolve(options.outDir), archiveName(dir));
    checkOutDir(dir, outFile);
    const list = await listTemplateFiles(dir, options.workspace);
    reportSkippedRules(list, options.logger);
    checkProjectFile(dir, list);
    const written = await writeArchive(list.files, outFile, options);
    const archive = describeArchive(outFile, list, written, options);
    await reportArchive(archive, dir, options.logger);
    return archive;
}
function archiveName(dir) {
    const base = external_node_path_default().basename(dir).replace(/[^A-Za-z0-9._-]+/g, "-");
    return `${base.replace(/^[.-]+/, "") || "template"}.tar.gz`;
}
function checkOutDir(dir, outFile) {
    if (!isWithin(outFile, dir))
        return;
    throw new errors/* InputError */.dz(`The template archive would be written to "${outFile}", inside the ` +
        `template folder "${dir}", and so would end up in the next archive. ` +
        "Write it to a temporary folder such as RUNNER_TEMP instead.", { input: template_archive_INPUT });
}
function reportSkippedRules(list, logger) {
    const by = list.outerRulesSkipped;
    if (!by)
        return;
    logger.info(`The template folder is itself excluded by "${by.pattern}" in ` +
        `${by.file}, so the .gitignore files above it are not applied.`);
}
function checkProjectFile(dir, list) {
    if (list.files.some((f) => f.path === PROJECT_FILE))
        return;
    const rule = list.ignored.find((i) => i.path === PROJECT_FILE);
    const left = rule?.target ?? PROJECT_FILE;
    const link = rule?.target ? `it links to "${left}", and ` : "";
    const cause = rule
        ? `${link}it is left out by the pattern "${rule.pattern}" in ` +
            `${rule.file}. Add "!${left}" after that pattern, or remove the ` +
            "pattern."
        : `there is none at the root. Set "${template_archive_INPUT}" to the folder holding ` +
            `the template's ${PROJECT_FILE}.`;
    throw new errors/* InputError */.dz(`The archive of "${dir}" would have no ${PROJECT_FILE}: ${cause}`, { input: template_archive_INPUT, file: rule?.file || external_node_path_default().join(dir, PROJECT_FILE) });
}
/** Writes next to `outFile` and renames, so no half archive is left. */
async function writeArchive(files, outFile, options) {
    await external_node_fs_.promises.mkdir(external_node_path_default().dirname(outFile), { recursive: true });
    const partial = `${outFile}.partial`;
    try {
        const written = await writeTarGz(files, partial, options.maxBytes);
        await external_node_fs_.promises.rename(partial, outFile);
        return written;
    }
    catch (error) {
        await external_node_fs_.promises.rm(partial, { force: true });
        if (error instanceof ArchiveTooLargeError) {
            throw tooLargeError(options, files);
        }
        throw error;
    }
}
function tooLargeError(options, files) {
    const largest = largestFiles(files)
        .map((f) => `${f.path} (${formatBytes(f.bytes)})`)
        .join(", ");
    return new errors/* InputError */.dz(`The template archive of "${options.dir}" is larger than ` +
        `max-archive-size (${formatBytes(options.maxBytes)} compressed). ` +
        `The largest files are: ${largest}. Leave out files the template ` +
        "does not need with .gitignore or .pulumiignore, or raise " +
        '"max-archive-size".', { input: "max-archive-size" });
}
function describeArchive(outFile, list, written, options) {
    const stored = list.files.map(({ path: p, bytes }) => ({ path: p, bytes }));
    return {
        path: outFile,
        bytes: written.bytes,
        sha256: written.sha256,
        tarSha256: written.tarSha256,
        files: stored,
        uncompressedBytes: stored.reduce((sum, f) => sum + f.bytes, 0),
        largest: largestFiles(stored),
        leftOut: list.ignored,
        warnings: findWarnings(stored, written.bytes, options.maxBytes),
    };
}
function largestFiles(files) {
    return [...files]
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 5)
        .map(({ path: p, bytes }) => ({ path: p, bytes }));
}
function findWarnings(files, bytes, maxBytes) {
    const warnings = [];
    if (!files.some((f) => f.path === README)) {
        warnings.push(readmeWarning(files));
    }
    if (bytes > maxBytes / 2) {
        warnings.push(`The template archive is ${formatBytes(bytes)}, more than half of ` +
            `max-archive-size (${formatBytes(maxBytes)}). Leave out files the ` +
            "template does not need with .gitignore or .pulumiignore before " +
            "it reaches the limit.");
    }
    return warnings;
}
function readmeWarning(files) {
    const other = files.find((f) => f.path.toLowerCase() === "readme.md");
    const fix = other
        ? ` It has "${other.path}"; rename it to ${README}.`
        : ` Add one that explains what the template creates and how to use it.`;
    return `The template has no ${README} at its root.${fix}`;
}
async function reportArchive(archive, dir, logger) {
    logger.info(`Template archive ${external_node_path_default().basename(archive.path)}: ` +
        `${archive.files.length} ${archive.files.length === 1 ? "file" : "files"}, ` +
        `${formatBytes(archive.uncompressedBytes)} uncompressed, ` +
        `${formatBytes(archive.bytes)} compressed, sha256 ${archive.sha256}`);
    await logger.group("Template archive contents", async () => {
        logger.info(`Written to ${archive.path}`);
        logger.info(`sha256 of the tar before compression: ${archive.tarSha256}`);
        for (const f of archive.largest) {
            logger.info(`Largest: ${f.path} (${formatBytes(f.bytes)})`);
        }
        for (const f of archive.files) {
            logger.debug(`${f.path} (${f.bytes} bytes)`);
        }
        reportLeftOut(archive.leftOut, dir, logger);
    });
    archive.warnings.forEach((w) => logger.warning(w));
}
/**
 * Lists what the ignore rules left out, with the rule that did it: git
 * would keep a tracked file that a rule matches, but the action does not
 * run git, so this is where a user sees a file missing from the archive.
 */
function reportLeftOut(leftOut, dir, logger) {
    const lines = leftOut.map((i) => `left out: ${describeLeftOut(i, dir)}`);
    lines.slice(0, LEFT_OUT_SHOWN).forEach((line) => logger.info(line));
    if (lines.length <= LEFT_OUT_SHOWN)
        return;
    logger.info(`left out: ${lines.length - LEFT_OUT_SHOWN} more paths ` +
        "(the debug log lists them all)");
    lines.slice(LEFT_OUT_SHOWN).forEach((line) => logger.debug(line));
}
/** `bin/ (.gitignore: bin/)`, with the rule file relative to `dir`. */
function describeLeftOut(item, dir) {
    const file = external_node_path_default().relative(dir, item.file).split((external_node_path_default()).sep).join("/");
    const target = item.target ? ` -> ${item.target}` : "";
    return `${item.path}${target} (${file}: ${item.pattern})`;
}
/** Sizes as people read them: bytes below 1 KiB, then KiB or MiB. */
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    if (bytes < 1024 * 1024)
        return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// EXTERNAL MODULE: ./src/artifacts/template-project.ts
var template_project = __webpack_require__(8065);
;// CONCATENATED MODULE: ./src/commands/template.ts
/** Builds a template's archive from `template-directory`, after checking it. */



/**
 * The template's name is the `name` input, else the project's name in
 * Pulumi.yaml unless it is a placeholder, else the folder's name.
 */
async function buildTemplate(settings, tempDir, logger) {
    const dir = settings.templateDirectory;
    const project = await (0,template_project/* readTemplateProject */.K)(dir);
    const name = settings.name ?? project.name ?? external_node_path_default().basename(dir);
    (0,template_project/* checkTemplateName */.y)(name);
    const archive = await buildTemplateArchive({
        dir,
        outDir: tempDir,
        workspace: settings.workspace,
        maxBytes: settings.maxArchiveBytes,
        logger,
    });
    return {
        name,
        artifact: {
            name: "archive",
            path: archive.path,
            bytes: archive.bytes,
            sha256: archive.sha256,
            contentType: "application/gzip",
        },
        files: archive.files.map((file) => file.path),
    };
}


/***/ })

};
