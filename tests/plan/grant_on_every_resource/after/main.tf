terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      "lambdaform:app" = "shop"
      "lambdaform:stage" = "dev"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

resource "aws_sqs_queue" "jobs" {
  name = "shop-dev-jobs"
  visibility_timeout_seconds = 30
  message_retention_seconds = 345600
  fifo_queue = false
  sqs_managed_sse_enabled = true

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "worker" {
  name = "/aws/lambda/shop-dev-worker"
  retention_in_days = 30
}

resource "aws_iam_role" "worker" {
  name = "shop-dev-worker-role"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "worker" {
  name = "least-privilege"
  role = aws_iam_role.worker.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "WriteOwnLogs", Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:*aws*lambda*shop-dev-worker:log-stream:*"] }, { Sid = "PollJobs", Effect = "Allow", Action = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], Resource = [aws_sqs_queue.jobs.arn] }] })
}

resource "aws_lambda_function" "worker" {
  function_name = "shop-dev-worker"
  role = aws_iam_role.worker.arn
  runtime = "python3.12"
  handler = "app.handler"
  filename = "${path.module}/build/worker.zip"
  source_code_hash = filebase64sha256("${path.module}/build/worker.zip")
  memory_size = 128
  timeout = 3
  architectures = ["x86_64"]
  depends_on = [aws_cloudwatch_log_group.worker, aws_iam_role_policy.worker]
}

resource "aws_lambda_event_source_mapping" "worker_jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name = aws_lambda_function.worker.arn
  batch_size = 10
}

resource "aws_cloudwatch_log_group" "fresh" {
  name = "/aws/lambda/shop-dev-fresh"
  retention_in_days = 30
}

resource "aws_iam_role" "fresh" {
  name = "shop-dev-fresh-role"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "fresh" {
  name = "least-privilege"
  role = aws_iam_role.fresh.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "WriteOwnLogs", Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:*aws*lambda*shop-dev-fresh:log-stream:*"] }, { Sid = "WriteEverything", Effect = "Allow", Action = ["s3:DeleteObject", "s3:PutObject"], Resource = ["arn:aws:s3:::*/*"] }, { Sid = "SendEveryQueue", Effect = "Allow", Action = ["sqs:SendMessage"], Resource = ["arn:aws:sqs:eu-west-1:123456789012:*"] }, { Sid = "ReadParams", Effect = "Allow", Action = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"], Resource = ["arn:aws:ssm:eu-west-1:123456789012:parameter/*"] }] })
}

resource "aws_lambda_function" "fresh" {
  function_name = "shop-dev-fresh"
  role = aws_iam_role.fresh.arn
  runtime = "python3.12"
  handler = "app.handler"
  filename = "${path.module}/build/fresh.zip"
  source_code_hash = filebase64sha256("${path.module}/build/fresh.zip")
  memory_size = 128
  timeout = 3
  architectures = ["x86_64"]
  depends_on = [aws_cloudwatch_log_group.fresh, aws_iam_role_policy.fresh]
}

output "jobs_url" {
  description = "URL of the queue jobs"
  value = aws_sqs_queue.jobs.url
}

output "worker_arn" {
  description = "ARN of the function worker"
  value = aws_lambda_function.worker.arn
}

output "fresh_arn" {
  description = "ARN of the function fresh"
  value = aws_lambda_function.fresh.arn
}
