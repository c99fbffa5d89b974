"""Gather on AWS: the CDK app that deploys the AppSync API, its Lambda, DynamoDB, Cognito and the SPA."""
