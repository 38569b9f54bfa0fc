export const id = 371;
export const ids = [371];
export const modules = {

/***/ 5371:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ asInputError),
/* harmony export */   resolvePublishedAt: () => (/* binding */ resolvePublishedAt)
/* harmony export */ });
/* unused harmony export findReleaseTag */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1243);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6572);
/* harmony import */ var _version_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(311);
/**
 * `published-at: tag-date | commit-date`: the date is read from git when the
 * command runs, before any request.
 */




/** The settings with `publishedAt` filled in from git when asked for. */
async function resolvePublishedAt(settings, logger) {
    const from = settings.publishedAtFrom;
    if (from === undefined)
        return settings;
    const cwd = settings.workingDirectory;
    const publishedAt = await asInputError(async () => {
        if (from === "commit-date") {
            const date = await (0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .headCommitDate */ .yB)(cwd);
            logger.info(`published-at: ${date} (the committer date of HEAD)`);
            return date;
        }
        const tag = await findReleaseTag(settings);
        const what = tag.annotated ? "tagger date of" : "commit date of";
        logger.info(`published-at: ${tag.date} (the ${what} tag "${tag.name}")`);
        return tag.date;
    });
    return { ...settings, publishedAt };
}
/**
 * The tag being published: the one named by the `version` input (with
 * `tag-prefix`), else the tag that triggered the run, else the only
 * version tag at `HEAD` (a matrix job that checked out a tag).
 */
async function findReleaseTag(settings) {
    const cwd = settings.workingDirectory;
    const tags = await (0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .listTags */ .cB)(cwd);
    const prefix = settings.tagPrefix;
    const byName = (name) => tags.find((tag) => tag.name === name);
    const version = settings.version && (0,_version_js__WEBPACK_IMPORTED_MODULE_3__/* .parseStrictVersion */ .tD)(settings.version);
    const runTag = (0,_version_js__WEBPACK_IMPORTED_MODULE_3__/* .tagOfRef */ .DC)(settings.git.ref);
    let wanted;
    if (version) {
        wanted = [`${prefix}v${version}`, `${prefix}${version}`];
    }
    else if (runTag !== undefined) {
        wanted = [runTag];
    }
    else {
        const head = await (0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .headCommit */ .Qo)(cwd);
        const atHead = tags.filter((tag) => tag.commit === head &&
            tag.name.startsWith(prefix) &&
            (0,_version_js__WEBPACK_IMPORTED_MODULE_3__/* .parseStrictVersion */ .tD)(tag.name.slice(prefix.length)) !== undefined);
        if (atHead.length === 1)
            return withDate(atHead[0], cwd);
        if (atHead.length > 1)
            throw ambiguousTags(atHead);
        throw await missingTag(undefined, cwd);
    }
    const found = wanted.map(byName).find((tag) => tag !== undefined);
    if (!found)
        throw await missingTag(wanted[0], cwd);
    return withDate(found, cwd);
}
async function withDate(tag, cwd) {
    if (tag.date)
        return tag;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`The tag "${tag.name}" is there, but its commit is not, so it has no ` +
        `date${(await (0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .isShallow */ .fE)(cwd)) ? " (the clone is shallow)" : ""}. ` +
        'Set "fetch-depth: 0" on actions/checkout to fetch the history.', { input: _inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.publishedAt });
}
async function missingTag(name, cwd) {
    const what = name
        ? `the tag "${name}" is not in the clone`
        : "the run is not on a tag and no version tag points at HEAD";
    const fix = (await (0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .isShallow */ .fE)(cwd))
        ? 'The clone is shallow: set "fetch-depth: 0" on actions/checkout ' +
            "so that every tag is fetched."
        : 'Check "version" and "tag-prefix", or give an RFC 3339 timestamp.';
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input "${_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.publishedAt}" is "tag-date", but ${what}. ${fix}`, { input: _inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.publishedAt });
}
function ambiguousTags(tags) {
    const names = tags.map((tag) => `"${tag.name}"`).join(", ");
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input "${_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.publishedAt}" is "tag-date", but several version tags ` +
        `point at HEAD (${names}). Set "version" (or "tag-prefix") to pick one.`, { input: _inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.publishedAt });
}
/** Git failures become input errors that name `input`. */
async function asInputError(fn, input = _inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.publishedAt) {
    try {
        return await fn();
    }
    catch (error) {
        if (error instanceof _git_js__WEBPACK_IMPORTED_MODULE_1__/* .GitError */ .XS) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input "${input}" needs git: ${error.message}`, {
                input,
            });
        }
        throw error;
    }
}


/***/ }),

/***/ 1243:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qo: () => (/* binding */ headCommit),
/* harmony export */   XS: () => (/* binding */ GitError),
/* harmony export */   cB: () => (/* binding */ listTags),
/* harmony export */   fE: () => (/* binding */ isShallow),
/* harmony export */   yB: () => (/* binding */ headCommitDate)
/* harmony export */ });
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5260);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/**
 * The few facts the action reads from the repository with git: its tags
 * with their dates, the commit checked out, and whether the clone is
 * shallow. Runs git through `@actions/exec`, silently.
 */


/** A git command that failed or could not start. */
class GitError extends _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ {
    constructor(message) {
        super("git", message);
    }
}
// Tab cannot appear in a ref name, so it separates the fields safely.
const TAG_FORMAT = [
    "%(refname:strip=2)",
    "%(objecttype)",
    "%(objectname)",
    "%(*objectname)",
    "%(taggerdate:iso-strict)",
    "%(*committerdate:iso-strict)",
    "%(committerdate:iso-strict)",
].join("%09");
/** Every tag of the repository at `cwd`, in git's order (by name). */
async function listTags(cwd) {
    const out = await git(cwd, [
        "for-each-ref",
        `--format=${TAG_FORMAT}`,
        "refs/tags",
    ]);
    return out
        .split("\n")
        .filter((line) => line !== "")
        .map(parseTagLine);
}
function parseTagLine(line) {
    const [name, type, object, peeled, tagger, peeledDate, commitDate] = line.split("\t");
    const annotated = type === "tag";
    return {
        name,
        commit: annotated ? peeled : object,
        annotated,
        date: annotated ? tagger || peeledDate : commitDate,
    };
}
/** The commit `HEAD` points at. */
async function headCommit(cwd) {
    return (await git(cwd, ["rev-parse", "HEAD"])).trim();
}
/** The committer date of `HEAD`, ISO 8601 strict. */
async function headCommitDate(cwd) {
    return (await git(cwd, ["log", "-1", "--format=%cI", "HEAD"])).trim();
}
/** Whether the clone at `cwd` is shallow (actions/checkout's default). */
async function isShallow(cwd) {
    const out = await git(cwd, ["rev-parse", "--is-shallow-repository"]);
    return out.trim() === "true";
}
async function git(cwd, args) {
    let result;
    try {
        result = await (0,_actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .getExecOutput */ .H)("git", args, {
            cwd,
            silent: true,
            ignoreReturnCode: true,
        });
    }
    catch (error) {
        throw new GitError(`git could not be run (${error.message}). ` +
            "Install git on the runner, or use a runner image that has it.");
    }
    if (result.exitCode !== 0) {
        const said = result.stderr.trim().split("\n")[0] || "no message";
        throw new GitError(`"git ${args[0]}" failed in "${cwd}" (exit ${result.exitCode}: ` +
            `${said}). Check out the repository (actions/checkout) before ` +
            "this step.");
    }
    return result.stdout;
}


/***/ })

};
