"""A rehearsal of the stack, offline: `sam build`'s output (.aws-sam/build: the template with each function's
artefact) packaged as `sam deploy` does (each artefact zipped into S3), transformed by the SAM translator (what
CloudFormation runs for `Transform: AWS::Serverless-2016-10-31`), created as a stack on a moto server, and its
resources read back through the services' own APIs. Prints one JSON report on stdout; `tests/tests/deployment/rehearsal.rs`
compares it with what the code expects.

Usage: rehearse.py MOTO_ENDPOINT, after `sam build`. Needs cfn-lint (its YAML loader), aws-sam-translator and
boto3 (.venv)."""

import ast
import re
import io
import os
import json
import sys
import zipfile
from pathlib import Path

import boto3
from cfnlint.decode import decode
from samtranslator.translator.transform import transform

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / ".aws-sam" / "build" / "template.yaml"
ENDPOINT = sys.argv[1]
REGION = "eu-central-1"
os.environ.setdefault("AWS_DEFAULT_REGION", REGION)  # the translator asks boto for the region
# Unique per run, so that runs can share one moto server.
RUN = os.environ.get("REHEARSAL_RUN", "1")
STACK = f"rehearsal-{RUN}"
BUCKET = f"rehearsal-artifacts-{RUN}"


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="test")


class NoManagedPolicies:
    """The translator asks IAM for AWS managed policy ARNs only for policy names; the template has none."""

    def load(self):
        return {}


def samconfig_dev_parameters():
    """The `dev` environment's parameter overrides in samconfig.toml: the rehearsal deploys what a developer would."""
    import shlex
    import tomllib
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    pairs = shlex.split(config["dev"]["deploy"]["parameters"]["parameter_overrides"])
    return dict(pair.split("=", 1) for pair in pairs)


# What a developer deploys: samconfig.toml's `dev` parameters, on a stage of the rehearsal's own.
PARAMETERS = dict(samconfig_dev_parameters(), Stage="rehearsal")


def packaged():
    """sam build's template as `sam package` leaves it: each function's artefact zipped into S3 (here: moto's), the
    definition inlined, everything else as built."""
    if not BUILT.is_file():
        raise SystemExit(f"{BUILT} is missing: run `sam build` first (scripts/check-deploy does)")
    template, problems = decode(str(BUILT))
    if problems:
        raise SystemExit(f"template does not load: {problems}")
    template = json.loads(json.dumps(template))
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    template["Globals"]["Function"].pop("CodeUri", None)
    for logical, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            artefact = BUILT.parent / resource["Properties"]["CodeUri"]
            code = io.BytesIO()
            with zipfile.ZipFile(code, "w", zipfile.ZIP_DEFLATED) as z:
                z.write(artefact / "bootstrap", "bootstrap")
            s3.put_object(Bucket=BUCKET, Key=f"{logical}.zip", Body=code.getvalue())
            resource["Properties"]["CodeUri"] = f"s3://{BUCKET}/{logical}.zip"
        if resource["Type"] == "AWS::Serverless::StateMachine":
            uri = resource["Properties"].pop("DefinitionUri")
            resource["Properties"]["Definition"] = json.loads((BUILT.parent / uri).read_text())
    return template


def alias_function(cfn_template, alias):
    return cfn_template["Resources"][alias]["Properties"]["FunctionName"]["Ref"]


def for_moto(cfn_template):
    """moto 5.2.5 does not create AWS::Lambda::Alias (nor CodeDeploy's resources): sent to moto, every reference to
    an alias names its function instead, so that the permissions, the subscription, the rule and the state machine
    are created. What CloudFormation itself is sent is what `as_sent` reports and the test checks."""
    aliases = {k for k, v in cfn_template["Resources"].items() if v["Type"] == "AWS::Lambda::Alias"}

    def fix(node):
        if isinstance(node, dict):
            if set(node) == {"Ref"} and node["Ref"] in aliases:
                return {"Fn::GetAtt": [alias_function(cfn_template, node["Ref"]), "Arn"]}
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node if not (isinstance(v, str) and v in aliases)]
        if isinstance(node, str):
            for alias in aliases:
                node = node.replace("${" + alias + "}", "${" + alias_function(cfn_template, alias) + ".Arn}")
            if node in aliases:  # a DependsOn of one
                return alias_function(cfn_template, node)
        return node

    return fix(cfn_template)


def created():
    template = packaged()
    parameters = dict(PARAMETERS, **{"AWS::Region": REGION, "AWS::AccountId": "123456789012", "AWS::Partition": "aws"})
    cfn_template = transform(template, parameters, NoManagedPolicies())
    cfn = client("cloudformation")
    cfn.create_stack(
        StackName=STACK,
        TemplateBody=json.dumps(for_moto(cfn_template)),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in PARAMETERS.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
    resources = []
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=STACK):
        resources += page["StackResourceSummaries"]
    return cfn_template, stack, resources


def lam_arn(name):
    return client("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"] if name else "${unresolved}"


def as_sent(cfn_template):
    """What CloudFormation itself receives for what moto does not apply (table TTL, PITR, SSE; the API's routes)."""
    out = {"tables": {}, "routes": {}}
    for logical in ("MainTable", "RegistriesTable"):
        p = cfn_template["Resources"][logical]["Properties"]
        out["tables"][logical] = {
            "ttl": p.get("TimeToLiveSpecification"),
            "pitr": p.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled"),
            "sse": p.get("SSESpecification"),
        }
    body = cfn_template["Resources"]["HttpApi"]["Properties"]["Body"]
    for path, methods in body.get("paths", {}).items():
        for method, op in methods.items():
            uri = json.dumps(op.get("x-amazon-apigateway-integration", {}).get("uri", ""))
            # Each integration invokes a function's alias (`${<Function>Alias<name>}`), never $LATEST.
            function = re.search(r"\$\{([A-Za-z]+)Aliaslive\}", uri)
            name = "ANY" if method == "x-amazon-apigateway-any-method" else method.upper()
            key = "$default" if path == "/$default" else f"{name} {path}"
            out["routes"][key] = {
                "function": function.group(1) if function else None,
                "authorizers": sorted(k for s in op.get("security", []) for k in s),
            }
    resources = cfn_template["Resources"]
    out["aliases"] = {
        k: {"function": v["Properties"]["FunctionName"]["Ref"], "name": v["Properties"]["Name"],
            "version": resources[v["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]]["Type"],
            "deploymentGroup": v.get("UpdatePolicy", {}).get("CodeDeployLambdaAliasUpdate", {})
                                .get("DeploymentGroupName", {}).get("Ref")}
        for k, v in resources.items() if v["Type"] == "AWS::Lambda::Alias"}
    out["deploymentGroups"] = {
        k: {"alarms": sorted(a["Name"]["Ref"] for a in v["Properties"]["AlarmConfiguration"]["Alarms"]),
            "alarmsEnabled": v["Properties"]["AlarmConfiguration"]["Enabled"],
            "rollbackOn": sorted(v["Properties"]["AutoRollbackConfiguration"]["Events"]),
            "config": v["Properties"]["DeploymentConfigName"]}
        for k, v in resources.items() if v["Type"] == "AWS::CodeDeploy::DeploymentGroup"}
    # Everything that invokes a function, and what it names: an alias (`{"Ref": "<Function>Aliaslive"}`) or not.
    invokers = {}
    for k, v in resources.items():
        p = v.get("Properties", {})
        target = {"AWS::Lambda::Permission": lambda: p["FunctionName"],
                  "AWS::SNS::Subscription": lambda: p["Endpoint"] if p.get("Protocol") == "lambda" else None,
                  "AWS::Events::Rule": lambda: p["Targets"][0]["Arn"],
                  "AWS::Lambda::EventInvokeConfig": lambda: p["Qualifier"]}.get(v["Type"], lambda: None)()
        if target is not None:
            invokers[k] = target
    for key, value in resources["RegistrationStateMachine"]["Properties"].get("DefinitionSubstitutions", {}).items():
        invokers[f"RegistrationStateMachine.{key}"] = value
    out["invokers"] = invokers
    return out


def read_back(cfn_template, stack, resources):
    lam = client("lambda")
    # moto lists a resource of a type it cannot create without its logical id: those are "notCreated".
    by_id = {r["LogicalResourceId"]: r for r in resources if r.get("LogicalResourceId")}
    report = {
        "stackStatus": stack["StackStatus"],
        "transformedTypes": sorted({r["Type"] for r in cfn_template["Resources"].values()}),
        "created": sorted(by_id),
        "notCreated": sorted(set(cfn_template["Resources"]) - set(by_id)),
        "notCreatedTypes": sorted({cfn_template["Resources"][k]["Type"] for k in set(cfn_template["Resources"]) - set(by_id)}),
        "resourceStatus": {k: v.get("ResourceStatus") for k, v in by_id.items() if v.get("ResourceStatus") != "CREATE_COMPLETE"},
        "createdTypes": sorted({r["ResourceType"] for r in by_id.values()}),
        "outputs": {o["OutputKey"]: o.get("OutputValue") for o in stack.get("Outputs", [])},
    }
    ddb = client("dynamodb")
    tables = {}
    for logical in ("MainTable", "RegistriesTable"):
        name = by_id[logical]["PhysicalResourceId"]
        t = ddb.describe_table(TableName=name)["Table"]
        ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        backups = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        tables[logical] = {
            "name": name,
            "keys": [[k["AttributeName"], k["KeyType"]] for k in t["KeySchema"]],
            "indexes": {i["IndexName"]: {"keys": [[k["AttributeName"], k["KeyType"]] for k in i["KeySchema"]],
                                         "projection": i["Projection"]["ProjectionType"]}
                        for i in t.get("GlobalSecondaryIndexes", [])},
            "billing": t.get("BillingModeSummary", {}).get("BillingMode"),
            "ttl": [ttl.get("TimeToLiveStatus"), ttl.get("AttributeName")],
            "pitr": backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"],
            "sse": [t.get("SSEDescription", {}).get("SSEType"), t.get("SSEDescription", {}).get("KMSMasterKeyArn")],
        }
    report["tables"] = tables
    sfn = client("stepfunctions")
    machine = sfn.describe_state_machine(stateMachineArn=by_id["RegistrationStateMachine"]["PhysicalResourceId"])
    # moto stores the definition without applying DefinitionSubstitutions: they are applied here as
    # CloudFormation applies them, each GetAtt resolved to the created resource's ARN.
    definition = machine["definition"]
    sm = cfn_template["Resources"]["RegistrationStateMachine"]["Properties"]
    arns = {k: v["PhysicalResourceId"] for k, v in by_id.items()}
    for key, value in sm.get("DefinitionSubstitutions", {}).items():
        # A Ref to an alias is the alias's ARN (the function's, qualified by the alias's name) in CloudFormation.
        alias = value.get("Ref") if isinstance(value, dict) else None
        if alias in cfn_template["Resources"] and cfn_template["Resources"][alias]["Type"] == "AWS::Lambda::Alias":
            name = cfn_template["Resources"][alias]["Properties"]["Name"]
            resolved = lam_arn(arns.get(alias_function(cfn_template, alias))) + ":" + name
        else:
            target = value["Fn::GetAtt"][0] if isinstance(value, dict) and "Fn::GetAtt" in value else None
            resolved = lam_arn(arns.get(target)) if target else str(value)
        definition = definition.replace("${" + key + "}", resolved)
    report["stateMachine"] = {"type": machine["type"], "definition": json.loads(definition),
                              "substitutions": sorted(sm.get("DefinitionSubstitutions", {}))}
    functions = {}
    iam = client("iam")
    for logical, r in by_id.items():
        if r["ResourceType"] != "AWS::Lambda::Function":
            continue
        f = lam.get_function(FunctionName=r["PhysicalResourceId"])["Configuration"]
        role = f["Role"].split("/")[-1]
        policies = {}
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
            if isinstance(document, str):  # moto returns a CloudFormation-made document as Python's repr of it
                document = ast.literal_eval(document)
            policies[name] = document
        functions[logical] = {
            "name": f["FunctionName"], "arn": f["FunctionArn"], "runtime": f.get("Runtime"),
            "architectures": f.get("Architectures"), "timeout": f.get("Timeout"), "memory": f.get("MemorySize"),
            "environment": sorted(f.get("Environment", {}).get("Variables", {})),
            "codeSize": f.get("CodeSize"),
            "versions": [v["Version"] for v in lam.list_versions_by_function(FunctionName=f["FunctionName"])["Versions"]],
            "inlinePolicies": policies,
            "managedPolicies": [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]],
        }
        try:
            functions[logical]["reservedConcurrency"] = lam.get_function_concurrency(
                FunctionName=r["PhysicalResourceId"]).get("ReservedConcurrentExecutions")
        except Exception as e:  # noqa: BLE001 - reported, not hidden
            functions[logical]["reservedConcurrency"] = f"unreadable: {e}"
    report["functions"] = functions
    api_id = by_id.get("HttpApi", {}).get("PhysicalResourceId")
    if api_id:
        try:
            routes = client("apigatewayv2").get_routes(ApiId=api_id)["Items"]
            report["routes"] = sorted(r["RouteKey"] for r in routes)
        except Exception as e:  # noqa: BLE001
            report["routes"] = f"unreadable: {e}"
    kms = client("kms")
    key_id = by_id["DataKey"]["PhysicalResourceId"]
    policy = kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
    policy = json.loads(policy) if isinstance(policy, str) else policy  # moto returns the template's object as is
    report["dataKey"] = {
        "rotation": kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"],
        "policySids": [s["Sid"] for s in policy["Statement"]],
        # Not DescribeKey: moto keeps a key policy from CloudFormation as an object and its DescribeKey fails on it.
        "arn": key_id if key_id.startswith("arn:") else f"arn:aws:kms:{REGION}:123456789012:key/{key_id}",
    }
    report["asSent"] = as_sent(cfn_template)
    return report


if __name__ == "__main__":
    print(json.dumps(read_back(*created()), indent=1, sort_keys=True, default=str))
