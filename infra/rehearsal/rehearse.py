"""A rehearsal of the stack, offline: the SAM template transformed by the SAM translator (what CloudFormation
runs for `Transform: AWS::Serverless-2016-10-31`), created as a stack on a moto server, and its resources read
back through the services' own APIs. Prints one JSON report on stdout; `tests/tests/deployment/rehearsal.rs`
compares it with what the code expects.

Usage: rehearse.py MOTO_ENDPOINT. Needs cfn-lint (its YAML loader), aws-sam-translator and boto3 (.venv)."""

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
ENDPOINT = sys.argv[1]
REGION = "eu-central-1"
os.environ.setdefault("AWS_DEFAULT_REGION", REGION)  # the translator asks boto for the region
# Unique per run, so that runs can share one moto server.
RUN = os.environ.get("REHEARSAL_RUN", "1")
STACK = f"rehearsal-{RUN}"
BUCKET = f"rehearsal-artifacts-{RUN}"
PARAMETERS = {
    "Stage": "rehearsal",
    "JwtIssuer": "https://idp.egov.example",
    "JwtAudience": "residence-registration",
    "DeletionProtection": "false",
}


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="test")


class NoManagedPolicies:
    """The translator asks IAM for AWS managed policy ARNs only for policy names; the template has none."""

    def load(self):
        return {}


def packaged():
    """The template as `sam package` leaves it: code and definition in S3 (here: moto's), everything else as written."""
    template, problems = decode(str(ROOT / "infra/template.yaml"))
    if problems:
        raise SystemExit(f"template does not load: {problems}")
    template = json.loads(json.dumps(template))
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("bootstrap", "#!/bin/sh\necho rehearsal\n")
    s3.put_object(Bucket=BUCKET, Key="bootstrap.zip", Body=code.getvalue())
    template["Globals"]["Function"]["CodeUri"] = f"s3://{BUCKET}/bootstrap.zip"
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::StateMachine":
            uri = resource["Properties"].pop("DefinitionUri")
            resource["Properties"]["Definition"] = json.loads((ROOT / "infra" / uri).read_text())
    return template


def created():
    template = packaged()
    parameters = dict(PARAMETERS, **{"AWS::Region": REGION, "AWS::AccountId": "123456789012", "AWS::Partition": "aws"})
    cfn_template = transform(template, parameters, NoManagedPolicies())
    cfn = client("cloudformation")
    cfn.create_stack(
        StackName=STACK,
        TemplateBody=json.dumps(cfn_template),
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
            function = re.search(r"\$\{([A-Za-z]+)\.Arn\}", uri)
            name = "ANY" if method == "x-amazon-apigateway-any-method" else method.upper()
            key = "$default" if path == "/$default" else f"{name} {path}"
            out["routes"][key] = {
                "function": function.group(1) if function else None,
                "authorizers": sorted(k for s in op.get("security", []) for k in s),
            }
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
