# Writes schemas/openapi/fts3.json (written by hand from the FTS3 reference, kept as code to stay consistent):
#   python3 schemas/openapi/tools/fts3_openapi.py > schemas/openapi/fts3.json
import json, collections
O = collections.OrderedDict
def s(t, **kw):
    d = O(); d["type"] = t; d.update(kw); return d
def ns(t, **kw):
    d = O(); d["type"] = [t, "null"]; d.update(kw); return d
def ref(n): return {"$ref": "#/components/schemas/" + n}
def arr(items, **kw):
    d = O(type="array", items=items); d.update(kw); return d
TS = lambda desc=None: O([("type", ["string","null"]), ("format","date-time"), ("x-toolkit-offset", False)] + ([("description", desc)] if desc else []))
ANY = lambda desc: O(description=desc)
J = "application/json"
def jcontent(schema): return {J: {"schema": schema}}
def ok(desc, schema=None, status="200"):
    r = O(description=desc)
    if schema is not None: r["content"] = jcontent(schema)
    return r
FAIL = {"$ref": "#/components/responses/Failure"}
def op(opid, summary, params=None, body=None, responses=None, desc=None, tags=None):
    o = O(operationId=opid, summary=summary)
    if desc: o["description"] = desc
    if params: o["parameters"] = params
    if body: o["requestBody"] = body
    r = O(responses or {})
    r["default"] = FAIL
    o["responses"] = r
    return o
def q(name, schema, desc=None, required=False, explode=None):
    p = O(name=name, **{"in": "query"})
    if required: p["required"] = True
    if desc: p["description"] = desc
    if explode is not None: p["style"] = "form"; p["explode"] = explode
    p["schema"] = schema
    return p
def path(name, desc=None, schema=None):
    p = O(name=name, **{"in": "path"}); p["required"] = True
    if desc: p["description"] = desc
    p["schema"] = schema or s("string")
    return p
def jbody(schema, desc=None):
    b = O(required=True)
    if desc: b["description"] = desc
    b["content"] = {J: O(schema=schema, **{"x-toolkit-content-type": J})}
    return b
csv = lambda desc: q
STR = s("string")
JOBIDS = path("job_ids", "One job id, or several separated by commas.", arr(STR))
JOBID = path("job_id", "The job id.")
DLG = path("dlg_id", "The caller's delegation id (see /whoami).")

paths = O()
paths["/"] = {"get": op("getEndpointInfo", "Versions of the server and its HAL links.", responses={"200": ok("The versions.", ref("EndpointInfo"))})}
paths["/whoami"] = {"get": op("whoAmI", "The identity the server sees for the caller.", responses={"200": ok("The identity.", ref("WhoAmI"))})}
paths["/whoami/certificate"] = {"get": op("getCertificate", "The client certificate (and chain) as the server received it. Certificate authentication only.",
    responses={"200": O(description="PEM certificates.", content={"application/x-pem-file": {"schema": s("string")}})})}
paths["/api-docs/schema/submit"] = {"get": op("getSubmitSchema", "The JSON-Schema of the job submission body (incomplete: newer fields are missing).", responses={"200": ok("A JSON-Schema document.", {})})}
paths["/delegation/{dlg_id}"] = O(parameters=[DLG],
    get=op("getDelegation", "The delegated credential of the caller, if any.",
        desc="Nothing delegated: the server answers 200 with body `null` (old or no User-Agent) or `[]` (User-Agent fts-*/3.12+). Both decode to null. 403 when dlg_id is not the caller's.",
        responses={"200": O(description="The termination time and VOMS attributes; null when nothing is delegated.", content=jcontent(ref("DelegationInfo")), **{"x-toolkit-none": ["null", "[]"]})}),
    delete=op("deleteDelegation", "Removes the delegated credential (certificate authentication only).", responses={"204": O(description="Removed."), "404": O(description="Nothing is delegated.", content=jcontent(ref("Error")))}))
paths["/delegation/{dlg_id}/request"] = O(parameters=[DLG], get=op("getDelegationRequest", "A PEM certificate signing request for a new delegated proxy (certificate authentication only).",
    desc="The server keeps the private key; the same request is returned until a different key size is needed.",
    responses={"200": O(description="The PEM CSR; the header X-Delegation-ID repeats the id.", content={"text/plain": {"schema": s("string")}})}))
paths["/delegation/{dlg_id}/credential"] = O(parameters=[DLG],
    put=op("putDelegationCredential", "Uploads the signed proxy followed by the signer's chain (PEM, no private key).",
        body=O(required=True, content={"text/plain": {"schema": s("string")}}),
        responses={"201": O(description="Stored.")}),
    post=op("postDelegationCredential", "Same as PUT.", body=O(required=True, content={"text/plain": {"schema": s("string")}}), responses={"201": O(description="Stored.")}))
paths["/delegation/{dlg_id}/voms"] = O(parameters=[DLG], post=op("renewVoms", "Runs voms-proxy-init on the stored proxy with the given -voms arguments.",
    body=jbody(arr(STR), "voms-proxy-init -voms arguments, e.g. [\"dteam\", \"dteam:/dteam/Role=lcgadmin\"]."),
    responses={"203": O(description="The new termination time.", content={"text/plain": {"schema": s("string")}}), "424": O(description="voms-proxy-init failed.", content=jcontent(ref("Error")), **{"x-toolkit-error": "FailedDependencyException"})}))

job_filters = [
    q("user_dn", STR, "Only jobs of this DN (must be the caller's unless the caller may see more)."),
    q("vo_name", STR, "Only jobs of this VO."),
    q("dlg_id", STR, "Only jobs of this delegation id (403 when not the caller's)."),
    q("state_in", arr(ref("JobState")), "Only jobs in these states (comma list). Without it only unfinished jobs are listed.", explode=False),
    q("source_se", STR, "Only jobs from this storage."),
    q("dest_se", STR, "Only jobs to this storage."),
    q("fields", arr(STR), "Projection: only these job attributes (comma list).", explode=False),
    q("limit", s("integer", format="int32", minimum=0, maximum=500), "At most this many jobs, newest first."),
    q("time_window", STR, "H or H:M: with state_in and no limit, also jobs finished within the window."),
]
paths["/jobs"] = O(
    get=op("listJobs", "Lists jobs; by default the caller's unfinished ones.", params=job_filters, responses={"200": ok("The jobs (streamed array).", arr(ref("Job")))}),
    post=op("submitJob", "Submits a transfer job.", body=jbody(ref("Submission")),
        desc="X.509 callers need a delegated proxy with at least one hour left (419 otherwise). A repeated deterministic sid gives 409.",
        responses={"200": ok("The new job's id.", ref("SubmitResult"))}))
paths["/jobs/{job_ids}"] = O(parameters=[JOBIDS],
    get=op("getJobs", "One job, or several (comma list).", params=[q("files", arr(STR), "Embed the files with these attributes (comma list).", explode=False)],
        desc="With several ids the body is an array; 207 when some failed (each failed item carries http_status/http_message).",
        responses={"200": ok("The job(s): an object for one id, an array for several.", {}), "207": ok("Some ids failed: an array of jobs and {job_id, http_status, http_message} items.", {})}),
    delete=op("cancelJobs", "Cancels one job, or several (comma list).",
        desc="A job that is already terminal comes back with HTTP 200 and http_status \"304 Not Modified\" in the body. Mixed lists give 207.",
        responses={"200": ok("The job(s) with the new state: an object for one id, an array for several.", {}), "207": ok("Some ids failed: an array of jobs and {job_id, http_status, http_message} items.", {})}),
    post=op("modifyJobs", "Changes the priority of one job or several (comma list).", body=jbody(ref("JobModification")),
        responses={"200": ok("The job(s): an object for one id, an array for several.", {}), "207": ok("Some ids failed: an array of jobs and {job_id, http_status, http_message} items.", {})}))
paths["/jobs/{job_id}/files"] = O(parameters=[JOBID], get=op("getJobFiles", "The files of a job.", responses={"200": ok("The files.", arr(ref("JobFile")))}))
paths["/jobs/{job_id}/files/{file_ids}"] = O(parameters=[JOBID, path("file_ids", "One file id or several (comma list).", arr(s("integer", format="int64")))],
    delete=op("cancelFiles", "Cancels files of a job (not for multihop or reuse jobs: 400).",
        responses={"200": ok("The new state as a string (\"CANCELED\", the terminal state, or \"File does not belong to the job\"); an array of those for several ids.", {})}))
paths["/jobs/{job_id}/files/{file_id}/retries"] = O(parameters=[JOBID, path("file_id", None, s("integer", format="int64"))],
    get=op("getFileRetries", "The earlier attempts of a file.", responses={"200": ok("The retries.", arr(ref("FileRetry")))}))
paths["/jobs/{job_id}/dm"] = O(parameters=[JOBID], get=op("getJobDm", "Legacy data-management rows of a job.", responses={"200": ok("The rows.", arr({}))}))
paths["/jobs/{job_id}/{field}"] = O(parameters=[JOBID, path("field", "Any job attribute name.")],
    get=op("getJobField", "One attribute of a job as a bare JSON value.", responses={"200": ok("The value, e.g. \"SUBMITTED\".", {}), "404": O(description="No such job or field.", content=jcontent(ref("Error")), **{"x-toolkit-error": "NotFoundException"})}))
paths["/jobs/vo/{vo_name}"] = O(parameters=[path("vo_name")], delete=op("cancelAllVoJobs", "Cancels every job of a VO (root or admin).", responses={"200": ok("What was affected.", ref("AffectedCounts"))}))
paths["/jobs/all"] = O(delete=op("cancelAllJobs", "Cancels every job (root or admin).", responses={"200": ok("What was affected.", ref("AffectedCounts"))}))
paths["/admin/force-start"] = O(post=op("forceStart", "Forces the start of files (admin).", body=jbody(arr(s("integer", format="int64"))), responses={"200": ok("Done.", {})}))
paths["/files"] = O(get=op("listFiles", "Lists files.", params=[
    q("vo_name", STR), q("state_in", arr(ref("FileState")), "Comma list of file states.", explode=False), q("source_se", STR), q("dest_se", STR), q("dest_surl", STR),
    q("limit", s("integer", format="int32", minimum=1, maximum=1000, default=1000)), q("time_window", STR, "H or H:M.")],
    responses={"200": ok("The files.", arr(ref("JobFile")))}))
paths["/archive"] = O(get=op("getArchiveIndex", "Only HAL links.", responses={"200": ok("Links.", {})}))
paths["/archive/{job_id}"] = O(parameters=[JOBID], get=op("getArchivedJob", "A job from the archive (404 if not archived).", responses={"200": ok("The archived job.", ref("Job"))}))
paths["/archive/{job_id}/{field}"] = O(parameters=[JOBID, path("field")], get=op("getArchivedJobField", "One attribute of an archived job.", responses={"200": ok("The value.", {})}))
paths["/optimizer"] = O(get=op("isOptimizerEnabled", "Whether the optimizer is on.", responses={"200": ok("true or false.", s("boolean"))}))
paths["/optimizer/evolution"] = O(get=op("getOptimizerEvolution", "The optimizer history of a link.", params=[q("source_se", STR), q("dest_se", STR)], responses={"200": ok("Rows.", arr({}))}))
paths["/optimizer/current"] = O(
    get=op("getOptimizerCurrent", "The current optimizer decisions.", responses={"200": ok("Rows.", arr({}))}),
    post=op("setOptimizerCurrent", "Sets an optimizer decision (config).", body=jbody(ref("OptimizerDecision")), responses={"200": ok("The stored row.", {})}))
paths["/status/hosts"] = O(get=op("getHostsStatus", "The services of every FTS host (config).", responses={"200": ok("host → service → status.", {})}))
paths["/ban/se"] = O(
    get=op("listBannedSes", "The banned storages.", responses={"200": ok("The bans.", arr(ref("BannedSe")))}),
    post=op("banSe", "Bans a storage (config). Needs exactly Content-Type: application/json.", body=jbody(ref("BanSeRequest")),
        responses={"200": ok("The ids of the affected jobs.", arr(STR))}),
    delete=op("unbanSe", "Lifts a storage ban.", params=[q("storage", STR, required=True), q("vo_name", STR)], responses={"204": O(description="Lifted.")}))
paths["/ban/dn"] = O(
    get=op("listBannedDns", "The banned users.", responses={"200": ok("The bans.", arr(ref("BannedDn")))}),
    post=op("banDn", "Bans a user (config); banning yourself gives 409. Needs exactly Content-Type: application/json.", body=jbody(ref("BanDnRequest")),
        responses={"200": ok("The ids of the affected jobs.", arr(STR))}),
    delete=op("unbanDn", "Lifts a user ban.", params=[q("user_dn", STR, required=True)], responses={"204": O(description="Lifted.")}))
# config routes users need
for p, opid, summary in [("/config", "getConfigOverview", "The configuration overview (config)."), ("/config/audit", "getConfigAudit", "The configuration audit trail."),
                         ("/config/links", "getConfigLinks", "Link configurations."), ("/config/shares", "getConfigShares", "VO shares."),
                         ("/config/se", "getConfigSe", "Storage configurations."), ("/config/authorize", "getConfigAuthorizations", "Authorized DNs and operations."),
                         ("/config/activity_shares", "getConfigActivityShares", "Activity shares per VO.")]:
    paths[p] = O(get=op(opid, summary + " Always sent with Accept: application/json (HTML otherwise).", responses={"200": ok("The configuration.", {})}))
paths["/config/global"] = O(
    get=op("getGlobalConfig", "Global and per-VO settings (config).", params=[q("vo_name", STR)], responses={"200": ok("VO name (\"*\" for the default) → settings.", O(type="object", additionalProperties=ref("GlobalConfig")))}),
    post=op("setGlobalConfig", "Changes global or per-VO settings (config).", body=jbody(ref("GlobalConfig")), responses={"200": ok("The stored settings.", {})}),
    delete=op("deleteGlobalConfig", "Removes the settings of a VO.", params=[q("vo_name", STR, required=True)], responses={"204": O(description="Removed.")}))
paths["/config/drain"] = O(post=op("setDrain", "Drains or undrains a host (config).", body=jbody(O(type="object", required=["hostname", "drain"], properties=O(hostname=STR, drain=s("boolean")))), responses={"200": ok("Done.", {})}))

states_job = ["STAGING", "SUBMITTED", "READY", "ACTIVE", "DELETE", "ARCHIVING", "QOS_TRANSITION", "QOS_REQUEST_SUBMITTED", "FINISHED", "FAILED", "FINISHEDDIRTY", "CANCELED"]
states_file = ["STAGING", "STARTED", "SUBMITTED", "READY", "ACTIVE", "ARCHIVING", "QOS_TRANSITION", "QOS_REQUEST_SUBMITTED", "FORCE_START", "FINISHED", "FAILED", "CANCELED", "NOT_USED", "ON_HOLD", "ON_HOLD_STAGING", "TOKEN_PREP"]
I32 = lambda d=None: O([("type", ["integer","null"]), ("format","int32")] + ([("description", d)] if d else []))
I64 = lambda d=None: O([("type", ["integer","null"]), ("format","int64")] + ([("description", d)] if d else []))
NS = lambda d=None: O([("type", ["string","null"])] + ([("description", d)] if d else []))
NB = lambda d=None: O([("type", ["boolean","null"])] + ([("description", d)] if d else []))
ND = lambda d=None: O([("type", ["number","null"]), ("format","double")] + ([("description", d)] if d else []))
Version = O(type="object", required=["major", "minor", "patch"], properties=O(major=s("integer", format="int32"), minor=s("integer", format="int32"), patch=s("integer", format="int32")))
schemas = O()
schemas["ApiVersion"] = Version
schemas["EndpointInfo"] = O(type="object", description="GET / : the versions of the delegation API, the REST API, the core and the DB schema.", properties=O(
    delegation=ref("ApiVersion"), api=ref("ApiVersion"), core=O(oneOf=None) if False else O(type=["object","null"], properties=Version["properties"]), schema=ref("ApiVersion"), _links=ANY("HAL links.")))
schemas["WhoAmI"] = O(type="object", required=["user_dn"], properties=O(
    user_dn=s("string", description="The end-entity DN in OpenSSL slash form, or \"anon\"."),
    dn=arr(STR), base_id=NS("Namespace for deterministic job ids (uuid)."), voms_cred=arr(STR), vos=arr(STR), vos_id=arr(STR), roles=arr(STR),
    level=ANY("Operation → level (\"all\", \"vo\", \"\"); an empty array for anonymous callers."),
    delegation_id=NS("16 hex characters; null for anonymous callers."), method=NS("certificate, oauth2 or unauthenticated."), is_root=NB(),
    oauth2_scope=NS(), wlcg_profile=NS()))
schemas["DelegationInfo"] = O(type="object", required=["termination_time"], properties=O(
    termination_time=O(type="string", format="date-time", description="UTC, sent without offset.", **{"x-toolkit-offset": False}), voms_attrs=arr(STR)))
schemas["JobState"] = O(type="string", description="The state of a job. New states may appear; unknown ones are not terminal.", enum=states_job)
schemas["FileState"] = O(type="string", description="The state of a file. New states may appear; unknown ones are not terminal.", enum=states_file)
schemas["Job"] = O(type="object", description="A job (attributes of t_job). Every attribute may be missing when a projection (fields=) is asked.", properties=O(
    job_id=NS(), job_state=ref("JobState"), job_type=NS("N (normal), H (multihop), R (multiple replicas), Y (reuse)."), cancel_job=NB(),
    source_se=NS(), dest_se=NS(), submit_host=NS(), user_dn=NS(), cred_id=NS(), vo_name=NS(), reason=NS(),
    submit_time=TS("UTC, sent without offset."), job_finished=TS("UTC, sent without offset."), priority=I32(), max_time_in_queue=I64("Epoch seconds or null."),
    destination_spacetoken=NS(), source_spacetoken=NS(), internal_job_params=NS(), dst_file_report=NB(), overwrite_flag=NS("N, Y, R, M, D or Q."),
    copy_pin_lifetime=I32(), verify_checksum=NS("b, s, t or n."), bring_online=I32(), archive_timeout=I32(), target_qos=NS(),
    job_metadata=ANY("Free JSON."), retry=I32(), retry_delay=I32(), os_project_id=NS(),
    http_status=NS("\"200 Ok\", \"304 Not Modified\", \"404 Not Found\"... in multi-id answers."), http_message=NS(),
    files=arr(ref("JobFile"), description="Embedded when files= is asked.")))
schemas["JobFile"] = O(type="object", description="A file of a job (attributes of t_file).", properties=O(
    file_id=I64(), file_index=I32(), job_id=NS(), hashed_id=I64(), file_state=ref("FileState"), file_state_initial=NS(),
    source_surl=NS(), dest_surl=NS(), source_se=NS(), dest_se=NS(), dest_surl_uuid=NS(), vo_name=NS(), priority=I32(), transfer_host=NS(), staging_host=NS(),
    reason=NS(), recoverable=NB(), filesize=I64(), user_filesize=I64(), checksum=NS(), start_time=TS(), finish_time=TS(), staging_start=TS(), staging_finished=TS(),
    archive_start_time=TS(), archive_finish_time=TS(), internal_file_params=NS(), pid=I32(), tx_duration=ND(), throughput=ND(), retry=I32(),
    file_metadata=ANY("Free JSON."), staging_metadata=ANY("Free JSON."), archive_metadata=ANY("Free JSON."), selection_strategy=NS(), bringonline_token=NS(),
    log_file=NS(), log_debug=NB(), activity=NS(), scitag=I32(), src_token_id=NS(), dst_token_id=NS()))
schemas["FileRetry"] = O(type="object", properties=O(file_id=I64(), attempt=I32(), datetime=TS(), reason=NS(), transfer_host=NS(), log_file=NS()))
schemas["TransferFile"] = O(type="object", description="One entry of the submission's files: every source × every destination is a transfer.", required=["sources", "destinations"], properties=O(
    sources=arr(STR), destinations=arr(STR), source_tokens=arr(STR, description="One token per source; give them for all files or none."), destination_tokens=arr(STR),
    checksum=NS("ALG or ALG:VALUE, e.g. ADLER32:1a2b3c4d."), filesize=I64(), metadata=ANY("Free JSON (file_metadata)."), staging_metadata=ANY("Free JSON."), archive_metadata=ANY("Free JSON."),
    activity=NS(), scitag=O(type=["integer","null"], format="int32", minimum=65, maximum=65535), selection_strategy=NS("auto or orderly."), priority=I32()))
schemas["JobParams"] = O(type="object", description="Job parameters. null means the server default.", properties=O(
    verify_checksum=ANY("false, true, \"source\", \"target\", \"both\" or \"none\"."), reuse=NB(), multihop=NB(), overwrite=NB(), overwrite_on_retry=NB(),
    overwrite_when_only_on_disk=NB(), overwrite_hop=NB(), dst_file_report=NB(), bring_online=I32("Seconds; -1 none."), copy_pin_lifetime=I32("Seconds; -1 none."),
    archive_timeout=I32("Seconds; -1 none."), source_spacetoken=NS(), destination_spacetoken=NS(), spacetoken=O(type=["string","null"], deprecated=True, description="Removed in 3.14."),
    job_metadata=ANY("Free JSON."), priority=I32("1..5 (3)."), retry=I32("0 server default, <0 none."), retry_delay=I32("Seconds."), max_time_in_queue=ANY("Hours, or \"30s\", \"10m\", \"2h\", \"1d\"."),
    timeout=I32(), nostreams=I32(), buffer_size=I32(), strict_copy=NB(), disable_cleanup=NB(), ipv4=NB(), ipv6=NB(), s3alternate=NB(), target_qos=NS(),
    id_generator=NS("standard or deterministic."), sid=NS("With id_generator deterministic."), credential=NS(), unmanaged_tokens=NB("3.14+.")))
schemas["Submission"] = O(type="object", required=["files"], properties=O(files=arr(ref("TransferFile")), params=ref("JobParams"), delete=ANY("Legacy deletion jobs: refused with 405.")))
schemas["SubmitResult"] = O(type="object", required=["job_id"], properties=O(job_id=s("string")))
schemas["JobModification"] = O(type="object", required=["params"], properties=O(params=O(type="object", required=["priority"], properties=O(priority=s("integer", format="int32", minimum=1, maximum=5)))))
schemas["AffectedCounts"] = O(type="object", properties=O(affected_files=I64(), affected_dm=I64(), affected_jobs=I64()))
schemas["BanSeRequest"] = O(type="object", required=["storage"], properties=O(storage=STR, vo_name=NS(), status=NS("cancel (default) or wait."), allow_submit=NB("With wait only."), timeout=I32("Sent by the Python client; ignored by the server."), message=NS()))
schemas["BanDnRequest"] = O(type="object", required=["user_dn"], properties=O(user_dn=STR, message=NS()))
schemas["BannedSe"] = O(type="object", properties=O(se=NS(), message=NS(), addition_time=TS(), admin_dn=NS(), vo=NS(), status=NS()))
schemas["BannedDn"] = O(type="object", properties=O(dn=NS(), message=NS(), addition_time=TS(), admin_dn=NS(), status=NS()))
schemas["OptimizerDecision"] = O(type="object", required=["source_se", "dest_se"], properties=O(source_se=STR, dest_se=STR, active=I32(), nostreams=I32(), diff=I32(), actual_active=I32(), queue_size=I32(), ema=ND(), throughput=ND(), success=ND(), filesize_avg=ND(), filesize_stddev=ND()))
schemas["GlobalConfig"] = O(type="object", properties=O(vo_name=NS(), retry=I32(), global_timeout=I32(), max_time_queue=I32(), sec_per_mb=I32(), no_streaming=NB(), show_user_dn=NB()))
schemas["Error"] = O(type="object", required=["status", "message"], properties=O(status=s("string", description="\"<code> <Name>\"."), message=STR))

doc = O()
doc["openapi"] = "3.1.0"
doc["info"] = O(title="FTS3 REST API", version="3.13.4", description="fts-rest (Flask) of the File Transfer Service, written from its sources and checked against a live server.", **{"x-toolkit-name": "Fts3"})
doc["servers"] = [O(url="https://fts3.example.org:8446")]
doc["x-toolkit-errors"] = O(root="Fts3ClientException", messageProperty="message", types=O(
    ClientErrorException=O(description="The server refused the request (4xx)."),
    UnauthorizedException=O(description="401, 402, 403: not allowed (a 403 'Not enough permissions' included)."),
    NotFoundException=O(description="404: no such job, file, delegation or field."),
    NeedDelegationException=O(base="ClientErrorException", description="419: delegate a proxy first."),
    FailedDependencyException=O(base="ClientErrorException", description="424: a dependency failed (e.g. VOMS)."),
    ServerErrorException=O(description="5xx."),
    TryAgainException=O(base="ServerErrorException", description="503: try again later.")),
    statuses=O([("400","ClientErrorException"),("401","UnauthorizedException"),("402","UnauthorizedException"),("403","UnauthorizedException"),("404","NotFoundException"),
                ("419","NeedDelegationException"),("424","FailedDependencyException"),("4XX","ClientErrorException"),("503","TryAgainException"),("5XX","ServerErrorException")]))
doc["paths"] = paths
doc["components"] = O(
    responses=O(Failure=O(description="{\"status\": \"<code> <Name>\", \"message\": \"...\"}", content=jcontent(ref("Error")))),
    securitySchemes=O(x509=O(type="mutualTLS", description="X.509 certificate or RFC 3820 proxy."), bearer=O(type="http", scheme="bearer", bearerFormat="JWT")),
    schemas=schemas)
doc["security"] = [{"x509": []}, {"bearer": []}]
print(json.dumps(doc, indent=2, ensure_ascii=False))
