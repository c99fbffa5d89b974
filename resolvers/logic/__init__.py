"""Business rules: validation, seats, comments, paging. No boto3 here."""
