import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { USER_ROLES, type UserRole } from '../user.entity';

/** Present means "set"; absent means "leave as it is"; null is refused (the field is required). */
const IsPresentOrAbsent = () => ValidateIf((_object, value) => value !== undefined);

export class PermissionsInput {
  @IsOptional() @IsBoolean() canBookDesks?: boolean;
  @IsOptional() @IsBoolean() canBookRooms?: boolean;
  @IsOptional() @IsBoolean() canBookParking?: boolean;
  @IsOptional() @IsBoolean() canBookOnBehalf?: boolean;
}

export class CreateUserInput {
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @IsString()
  @Length(1, 255)
  displayName!: string;

  /** Defaults to the email. */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  userName?: string;

  @IsOptional() @IsString() @Length(1, 255) givenName?: string | null;
  @IsOptional() @IsString() @Length(1, 255) familyName?: string | null;
  @IsOptional() @IsString() @Length(1, 255) jobTitle?: string | null;
  @IsOptional() @IsString() @Length(1, 255) department?: string | null;
  @IsOptional() @IsString() @Length(1, 64) phone?: string | null;

  @IsOptional()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  role?: UserRole;

  /** Only users with a password can sign in to the app; SCIM users sign in through their IdP later. */
  @IsOptional()
  @IsString()
  @Length(8, 200, { message: 'password must be 8 to 200 characters' })
  password?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => PermissionsInput)
  permissions?: PermissionsInput;
}

export class UpdateUserInput {
  @IsPresentOrAbsent() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320) email?: string;
  @IsPresentOrAbsent() @IsString() @Length(1, 255) displayName?: string;
  @IsPresentOrAbsent() @IsString() @Length(1, 255) userName?: string;
  @IsOptional() @IsString() @Length(1, 255) givenName?: string | null;
  @IsOptional() @IsString() @Length(1, 255) familyName?: string | null;
  @IsOptional() @IsString() @Length(1, 255) jobTitle?: string | null;
  @IsOptional() @IsString() @Length(1, 255) department?: string | null;
  @IsOptional() @IsString() @Length(1, 64) phone?: string | null;
  @IsPresentOrAbsent() @IsBoolean() active?: boolean;

  @IsPresentOrAbsent()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  role?: UserRole;

  @IsPresentOrAbsent()
  @IsString()
  @Length(8, 200, { message: 'password must be 8 to 200 characters' })
  password?: string;

  @IsPresentOrAbsent()
  @ValidateNested()
  @Type(() => PermissionsInput)
  permissions?: PermissionsInput;
}

export class ListUsersQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  // Hostile-input fix (issue 8): without an upper bound, offset=1e20 reached the SQL OFFSET and failed (500).
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(2 ** 31 - 1) offset?: number;
  @IsOptional() @IsString() @MaxLength(255) q?: string;
}
