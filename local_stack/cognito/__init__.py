"""The local Cognito user pool: moto's server behind a layer that answers what moto lacks, as Cognito would.

``pool`` runs and provisions it; ``layer`` routes Cognito's actions; ``srp_sign_in``, ``revoke_token`` and
``mail`` answer the actions moto gets wrong or lacks; ``srp`` is the SRP-6a arithmetic; ``moto_state`` is the
one place that reads moto's private state; ``passwords`` makes passwords the pool's policy accepts.
"""
