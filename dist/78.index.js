export const id = 78;
export const ids = [78,371];
export const modules = {

/***/ 1078:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPlanBackfill: () => (/* binding */ runPlanBackfill)
/* harmony export */ });
/* unused harmony exports selectCandidates, checkPublished, capToMatrix */
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _entries_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(8323);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1243);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6572);
/* harmony import */ var _version_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(311);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3407);
/* harmony import */ var _published_at_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5371);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6465);
/**
 * `command: plan-backfill`: the repository's version tags that the registry
 * lacks, oldest first, as a matrix for a following publish job.
 */









/** GitHub runs at most 256 jobs per matrix. */
const MAX_MATRIX = 256;
/** Versions checked at once. */
const CONCURRENCY = 8;
/** Runs the plan-backfill command and returns its report. */
async function runPlanBackfill(settings, logger) {
    const ref = await (0,_target_js__WEBPACK_IMPORTED_MODULE_7__/* .resolveRef */ .qE)(settings);
    const selection = await logger.group("Read version tags", () => readCandidates(settings, logger));
    if (!settings.token) {
        logger.warning("No credentials were given: private versions cannot be seen, so " +
            "they would be planned as missing. Set the access token.");
    }
    const client = (0,_client_js__WEBPACK_IMPORTED_MODULE_5__/* .createClient */ .U)(settings, logger);
    let states;
    try {
        states = await logger.group("Ask the registry", () => checkPublished(client, ref, selection.candidates, settings.limit, logger));
    }
    finally {
        await client.close();
    }
    states = capToMatrix(states, logger);
    const matrix = selection.candidates
        .filter((_, i) => states[i] === "publish")
        .map(toMatrixEntry);
    const message = describePlan(settings, selection, states, matrix.length);
    logger.info(message);
    return {
        command: "plan-backfill",
        status: "planned",
        kind: ref.kind,
        source: ref.source,
        publisher: ref.publisher,
        name: ref.name,
        matrix,
        message,
        title: `backfill plan for ${ref.name}`,
        tables: [
            {
                header: ["Tag", "Version", "Tag date", "Plan"],
                rows: selection.candidates.map((c, i) => [
                    c.tag,
                    c.version,
                    c.date,
                    states[i],
                ]),
            },
        ],
    };
}
async function readCandidates(settings, logger) {
    const cwd = settings.workingDirectory;
    const { tags, shallow } = await (0,_published_at_js__WEBPACK_IMPORTED_MODULE_6__/* .asInputError */ .X)(async () => ({ tags: await (0,_git_js__WEBPACK_IMPORTED_MODULE_2__/* .listTags */ .cB)(cwd), shallow: await (0,_git_js__WEBPACK_IMPORTED_MODULE_2__/* .isShallow */ .fE)(cwd) }), _inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .INPUT */ .bO.tagPrefix);
    const selection = selectCandidates(tags, settings.tagPrefix, settings.since);
    const undated = selection.candidates.filter((c) => !c.date);
    if (shallow && (selection.candidates.length === 0 || undated.length > 0)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz("The clone is shallow, so its tags or their commits are missing " +
            `(${selection.candidates.length} version tags found` +
            `${undated.length ? `, ${undated.length} without a date` : ""}). ` +
            'Set "fetch-depth: 0" on actions/checkout to fetch every tag.', { input: _inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .INPUT */ .bO.tagPrefix });
    }
    if (shallow) {
        logger.warning('The clone is shallow; tags it lacks are not planned. Set "fetch-depth: 0" on actions/checkout.');
    }
    for (const tag of selection.duplicates) {
        logger.warning(`Tag "${tag}" names a version an older tag names; skipped.`);
    }
    logger.info(`${selection.candidates.length} version tags with the prefix ` +
        `"${settings.tagPrefix}"` +
        `${settings.since ? `, from ${settings.since} on` : ""}.`);
    return selection;
}
/**
 * The tags that start with `prefix` and name a strict version at or above
 * `since`, oldest first (by tag date, then by version). Placeholder
 * versions are left out; of two tags for one version the older is kept.
 */
function selectCandidates(tags, prefix, since) {
    const all = [];
    for (const tag of tags) {
        if (!tag.name.startsWith(prefix))
            continue;
        const version = (0,_version_js__WEBPACK_IMPORTED_MODULE_4__/* .parseStrictVersion */ .tD)(tag.name.slice(prefix.length));
        if (!version || (0,_version_js__WEBPACK_IMPORTED_MODULE_4__/* .isPlaceholder */ .wK)(version))
            continue;
        all.push({ tag: tag.name, version, date: tag.date });
    }
    all.sort(oldestFirst);
    const candidates = [];
    const duplicates = [];
    const versions = new Set();
    let belowSince = 0;
    for (const candidate of all) {
        if (since && semver__WEBPACK_IMPORTED_MODULE_0___default().lt(candidate.version, since)) {
            belowSince++;
        }
        else if (versions.has(candidate.version)) {
            duplicates.push(candidate.tag);
        }
        else {
            versions.add(candidate.version);
            candidates.push(candidate);
        }
    }
    return { candidates, belowSince, duplicates };
}
function oldestFirst(a, b) {
    const byDate = (Date.parse(a.date) || 0) - (Date.parse(b.date) || 0);
    return byDate || semver__WEBPACK_IMPORTED_MODULE_0___default().compare(a.version, b.version);
}
/**
 * Asks the registry for each version, in order, a few at a time, until
 * `limit` missing ones are found; the rest are `later (limit)`.
 */
async function checkPublished(client, ref, candidates, limit, logger) {
    const states = candidates.map(() => "later (limit)");
    let planned = 0;
    for (let at = 0; at < candidates.length; at += CONCURRENCY) {
        if (limit !== undefined && planned >= limit)
            break;
        const batch = candidates.slice(at, at + CONCURRENCY);
        const found = await Promise.all(batch.map((c) => (0,_entries_js__WEBPACK_IMPORTED_MODULE_8__/* .getVersion */ .HF)(client, ref, c.version)));
        found.forEach((existing, i) => {
            const { version } = batch[i];
            if (existing) {
                states[at + i] = "published";
                logger.info(`${(0,_entries_js__WEBPACK_IMPORTED_MODULE_8__/* .describeEntry */ .OY)(ref, version)} is published.`);
            }
            else if (limit === undefined || planned < limit) {
                states[at + i] = "publish";
                planned++;
                logger.info(`${(0,_entries_js__WEBPACK_IMPORTED_MODULE_8__/* .describeEntry */ .OY)(ref, version)} is missing.`);
            }
        });
    }
    return states;
}
/**
 * GitHub refuses a matrix of more than 256 jobs, so only the oldest
 * `MAX_MATRIX` missing versions stay planned; a rerun of the plan after
 * the matrix finishes picks up the rest.
 */
function capToMatrix(states, logger) {
    let missing = 0;
    const capped = states.map((state) => {
        if (state !== "publish")
            return state;
        missing++;
        return missing > MAX_MATRIX ? "later (matrix full)" : state;
    });
    const left = missing - MAX_MATRIX;
    if (left > 0) {
        logger.warning(`${missing} versions are missing, but a matrix runs at most ` +
            `${MAX_MATRIX} jobs. The matrix holds the oldest ${MAX_MATRIX}; ` +
            `the remaining ${left} are left for a later run. Run the plan ` +
            "again after the matrix finishes.");
    }
    return capped;
}
function toMatrixEntry(candidate) {
    return {
        tag: candidate.tag,
        version: candidate.version,
        "published-at": candidate.date,
    };
}
function describePlan(settings, selection, states, planned) {
    const count = (state) => states.filter((s) => s === state).length;
    const notes = [
        `${count("published")} already published`,
        `${planned} to publish`,
    ];
    if (count("later (limit)") > 0) {
        notes.push(`${count("later (limit)")} left for a later run (limit ${settings.limit})`);
    }
    if (count("later (matrix full)") > 0) {
        notes.push(`${count("later (matrix full)")} left for a later run ` +
            `(a matrix holds ${MAX_MATRIX} jobs)`);
    }
    if (selection.belowSince > 0) {
        notes.push(`${selection.belowSince} below ${settings.since} skipped`);
    }
    return `${selection.candidates.length} version tags: ${notes.join(", ")}.`;
}


/***/ }),

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
