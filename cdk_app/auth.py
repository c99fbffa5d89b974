"""Cognito for the SPA: a user pool people sign up to, a public app client, and an admins group."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from cdk_app.nag import acknowledge
from cdk_app.stage import StageConfig
from resolvers.api_settings import PASSWORD_POLICY, SIGN_UP_ATTRIBUTES
from resolvers.identity import ADMINS_GROUP


class GatherAuth(Construct):
    """The user pool AppSync trusts as its additional auth mode, and the client the SPA signs in with."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required="email" in SIGN_UP_ATTRIBUTES, mutable=True),
                # A name the sign-in may carry; User.displayName starts from it, then the user sets their own.
                preferred_username=cognito.StandardAttribute(required=False, mutable=True),
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=PASSWORD_POLICY.min_length,
                require_lowercase=PASSWORD_POLICY.require_lowercase,
                require_uppercase=PASSWORD_POLICY.require_uppercase,
                require_digits=PASSWORD_POLICY.require_digits,
                require_symbols=PASSWORD_POLICY.require_symbols,
                temp_password_validity=Duration.days(3),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            feature_plan=cognito.FeaturePlan.ESSENTIALS,
            deletion_protection=stage.deletion_protection,
            removal_policy=stage.removal_policy,
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG2",
            "MFA is optional (TOTP) rather than required: attendees of community events sign in to RSVP and "
            "comment, and a mandatory second factor would keep most of them out; admins are expected to enrol.",
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG8",
            "The Essentials feature plan is deliberate: Plus (threat protection) is billed per monthly active "
            "user, and sign-ups are already bounded by email verification, a strong password policy and WAF "
            "rate limiting on the API.",
        )

        self.client = self.user_pool.add_client(
            "SpaClient",
            # A browser cannot keep a secret; USER_PASSWORD_AUTH and SRP are the flows the SPA uses.
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_password=True, user_srp=True),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            id_token_validity=Duration.hours(1),
            access_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
            disable_o_auth=True,
        )

        self.admins = self.user_pool.add_group(
            "Admins",
            group_name=ADMINS_GROUP,
            description="Gather administrators: may edit or delete any event and delete any comment.",
            precedence=0,
        )

    @property
    def cognito_endpoint(self) -> str:
        """The Cognito IdP endpoint the SPA talks to directly (sign-in, sign-up, token refresh)."""
        return f"https://cognito-idp.{Stack.of(self).region}.{Stack.of(self).url_suffix}"
