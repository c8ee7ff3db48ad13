package resource

import "slices"

// awsSDKServices are the service names AWS takes in aws-sdk resources
// (arn:aws:states:::aws-sdk:SERVICE:ACTION), sorted: the "Task state
// resource" column of the table "Supported AWS SDK service integrations"
// in the AWS Step Functions Developer Guide, page "AWS SDK service
// integrations" (docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html),
// as its April 2022 revision lists them, less the two it calls
// deprecated (mobile, macie). AWS has added services since, and the
// copy Stepwise could read does not show them; the later ones added here
// by their SDK client names, as AWS names the others, are an assumption:
// bedrock, bedrockagent, bedrockagentruntime, bedrockruntime,
// emrserverless, pipes, scheduler.
var awsSDKServices = []string{
	"accessanalyzer", "account", "acm", "acmpca", "alexaforbusiness", "amp", "amplify", "amplifybackend",
	"amplifyuibuilder", "apigateway", "apigatewayv2", "appconfig", "appconfigdata", "appflow", "appintegrations",
	"applicationautoscaling", "applicationdiscovery", "applicationinsights", "appmesh", "appstream", "appsync",
	"athena", "auditmanager", "autoscaling", "autoscalingplans", "backup", "backupgateway", "batch", "bedrock",
	"bedrockagent", "bedrockagentruntime", "bedrockruntime", "braket", "budgets", "chime", "chimesdkmeetings",
	"cloud9", "cloudcontrol", "clouddirectory", "cloudformation", "cloudfront", "cloudhsm", "cloudhsmv2",
	"cloudsearch", "cloudtrail", "cloudwatch", "cloudwatchlogs", "codeartifact", "codebuild", "codecommit",
	"codedeploy", "codeguruprofiler", "codegurureviewer", "codepipeline", "codestar", "codestarconnections",
	"codestarnotifications", "cognitoidentity", "cognitoidentityprovider", "cognitosync", "comprehend",
	"comprehendmedical", "computeoptimizer", "config", "connect", "connectcontactlens", "connectparticipant",
	"costandusagereport", "costexplorer", "databasemigration", "databrew", "dataexchange", "datapipeline",
	"datasync", "dax", "detective", "devicefarm", "devopsguru", "directconnect", "directory", "dlm", "docdb",
	"drs", "dynamodb", "dynamodbstreams", "ebs", "ec2", "ec2instanceconnect", "ecr", "ecrpublic", "ecs", "efs",
	"eks", "elasticache", "elasticbeanstalk", "elasticinference", "elasticloadbalancing", "elasticloadbalancingv2",
	"elasticsearch", "elastictranscoder", "emr", "emrcontainers", "emrserverless", "eventbridge", "evidently",
	"firehose", "fis", "fms", "forecast", "forecastquery", "frauddetector", "fsx", "gamelift", "glacier", "glue",
	"grafana", "greengrass", "greengrassv2", "groundstation", "guardduty", "healthlake", "honeycode", "iam",
	"identitystore", "imagebuilder", "inspector", "inspector2", "iot", "iot1clickprojects", "iotanalytics",
	"iotdeviceadvisor", "iotevents", "ioteventsdata", "iotfleethub", "iotjobsdataplane", "iotsecuretunneling",
	"iotsitewise", "iotthingsgraph", "iotwireless", "ivs", "kafka", "kafkaconnect", "kendra", "kinesis",
	"kinesisanalytics", "kinesisanalyticsv2", "kinesisvideo", "kinesisvideoarchivedmedia", "kinesisvideomedia",
	"kinesisvideosignaling", "kms", "lakeformation", "lambda", "lexmodelbuilding", "lexmodelsv2", "lexruntime",
	"lexruntimev2", "licensemanager", "lightsail", "location", "lookoutvision", "macie2", "managedblockchain",
	"marketplacecatalog", "marketplacecommerceanalytics", "marketplaceentitlement", "marketplacemetering",
	"mediaconnect", "medialive", "mediapackage", "mediapackagevod", "mediastore", "mediatailor", "memorydb",
	"migrationhub", "migrationhubconfig", "migrationhubstrategy", "mq", "mturk", "mwaa", "neptune",
	"networkfirewall", "networkmanager", "opensearch", "opsworks", "opsworkscm", "organizations", "outposts",
	"panorama", "personalize", "personalizeevents", "personalizeruntime", "pi", "pinpoint", "pinpointemail",
	"pinpointsmsvoice", "pipes", "polly", "pricing", "qldb", "qldbsession", "quicksight", "ram", "rbin", "rds",
	"rdsdata", "redshift", "redshiftdata", "rekognition", "resiliencehub", "resourcegroups",
	"resourcegroupstaggingapi", "robomaker", "route53", "route53domains", "route53resolver", "rum", "s3",
	"s3control", "s3outposts", "sagemaker", "sagemakera2iruntime", "sagemakeredge", "sagemakerfeaturestoreruntime",
	"sagemakerruntime", "savingsplans", "scheduler", "schemas", "secretsmanager", "securityhub",
	"serverlessapplicationrepository", "servicecatalog", "servicecatalogappregistry", "servicediscovery",
	"servicequotas", "ses", "sesv2", "sfn", "shield", "signer", "sms", "snowball", "sns", "sqs", "ssm", "sso",
	"ssoadmin", "ssooidc", "storagegateway", "sts", "support", "swf", "synthetics", "textract", "transcribe",
	"transfer", "translate", "voiceid", "waf", "wafregional", "wafv2", "wellarchitected", "wisdom", "workdocs",
	"workmail", "workmailmessageflow", "workspaces", "workspacesweb", "xray",
}

// IsSDKService reports whether AWS has an aws-sdk integration of the
// service named as in an aws-sdk resource (s3, sagemaker, ...), whether
// or not Stepwise includes it.
func IsSDKService(name string) bool {
	_, found := slices.BinarySearch(awsSDKServices, name)
	return found
}
