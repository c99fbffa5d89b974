"""The local stack behind `gather dev`: DynamoDB Local, demo data and the mirror on one machine."""
